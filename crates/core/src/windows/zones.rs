//! Which time zones a contact may be in: the zone stored on the contact, else the zones of
//! its number (country, and for North America the area code). Countries that span several
//! zones without a finer mapping here list all of them, so a window that holds in every one
//! is safe. The table is data; extend it as campaigns reach new countries.

use std::str::FromStr;

use chrono_tz::Tz;

use super::WindowError;
use super::nanp::{CA_ALL, US_ALL, zones_of_area_code};
use crate::phone::PhoneE164;

/// `region: zones` lines (ISO 3166 alpha-2, IANA names separated by commas).
const COUNTRY_ZONES: &str = "
GB: Europe/London
IE: Europe/Dublin
FR: Europe/Paris
DE: Europe/Berlin
ES: Europe/Madrid,Atlantic/Canary
PT: Europe/Lisbon,Atlantic/Azores
IT: Europe/Rome
NL: Europe/Amsterdam
BE: Europe/Brussels
LU: Europe/Luxembourg
CH: Europe/Zurich
AT: Europe/Vienna
CZ: Europe/Prague
SK: Europe/Bratislava
PL: Europe/Warsaw
HU: Europe/Budapest
DK: Europe/Copenhagen
SE: Europe/Stockholm
NO: Europe/Oslo
FI: Europe/Helsinki
GR: Europe/Athens
RO: Europe/Bucharest
BG: Europe/Sofia
HR: Europe/Zagreb
SI: Europe/Ljubljana
RS: Europe/Belgrade
UA: Europe/Kyiv
TR: Europe/Istanbul
IL: Asia/Jerusalem
AE: Asia/Dubai
SA: Asia/Riyadh
IN: Asia/Kolkata
PK: Asia/Karachi
PH: Asia/Manila
SG: Asia/Singapore
MY: Asia/Kuala_Lumpur
TH: Asia/Bangkok
VN: Asia/Ho_Chi_Minh
JP: Asia/Tokyo
KR: Asia/Seoul
CN: Asia/Shanghai
HK: Asia/Hong_Kong
TW: Asia/Taipei
NZ: Pacific/Auckland,Pacific/Chatham
ZA: Africa/Johannesburg
NG: Africa/Lagos
KE: Africa/Nairobi
EG: Africa/Cairo
MA: Africa/Casablanca
AR: America/Argentina/Buenos_Aires
CL: America/Santiago,Pacific/Easter
CO: America/Bogota
PE: America/Lima
EC: America/Guayaquil,Pacific/Galapagos
AU: Australia/Sydney,Australia/Brisbane,Australia/Adelaide,Australia/Darwin,Australia/Perth,Australia/Hobart,Australia/Lord_Howe,Australia/Eucla
BR: America/Sao_Paulo,America/Manaus,America/Cuiaba,America/Rio_Branco,America/Noronha
MX: America/Mexico_City,America/Cancun,America/Chihuahua,America/Hermosillo,America/Mazatlan,America/Tijuana
ID: Asia/Jakarta,Asia/Makassar,Asia/Jayapura
PR: America/Puerto_Rico
VI: America/St_Thomas
GU: Pacific/Guam
DO: America/Santo_Domingo
JM: America/Jamaica
BS: America/Nassau
TT: America/Port_of_Spain
BB: America/Barbados
BM: Atlantic/Bermuda
";

fn parse_zones(names: &str) -> Result<Vec<Tz>, WindowError> {
    names
        .split(',')
        .map(|name| {
            Tz::from_str(name.trim()).map_err(|_| WindowError::UnknownZone(name.trim().to_owned()))
        })
        .collect()
}

/// The zones a number may ring in.
pub fn zones_of_number(number: &PhoneE164) -> Result<Vec<Tz>, WindowError> {
    let region = number.region();
    let names = match (region, number.nanp_area_code()) {
        (Some("US"), Some(area)) => zones_of_area_code(area).unwrap_or(US_ALL),
        (Some("CA"), Some(area)) => zones_of_area_code(area).unwrap_or(CA_ALL),
        (Some("US"), None) => US_ALL,
        (Some("CA"), None) => CA_ALL,
        (Some(region), _) => COUNTRY_ZONES
            .lines()
            .find_map(|line| {
                let (code, zones) = line.split_once(':')?;
                (code.trim() == region).then_some(zones.trim())
            })
            .ok_or_else(|| WindowError::NoZoneForNumber(number.to_string()))?,
        (None, _) => return Err(WindowError::NoZoneForNumber(number.to_string())),
    };
    parse_zones(names)
}

/// The zones to check for a contact: its stored zone (IANA name) when it has one, else
/// the zones of its number.
pub fn contact_zones(stored: Option<&str>, number: &PhoneE164) -> Result<Vec<Tz>, WindowError> {
    match stored {
        Some(name) => parse_zones(name),
        None => zones_of_number(number),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::windows::nanp;

    fn zones(input: &str) -> Vec<Tz> {
        zones_of_number(&PhoneE164::parse(input, Some("US")).unwrap()).unwrap()
    }

    #[test]
    fn every_zone_name_in_the_tables_exists() {
        for line in COUNTRY_ZONES.lines().filter(|l| !l.trim().is_empty()) {
            let (_, names) = line.split_once(':').unwrap();
            parse_zones(names).unwrap();
        }
        for area in 200..1000 {
            if let Some(names) = nanp::zones_of_area_code(area) {
                parse_zones(names).unwrap();
            }
        }
        parse_zones(US_ALL).unwrap();
        parse_zones(CA_ALL).unwrap();
    }

    #[test]
    fn area_codes_map_to_their_zones() {
        assert_eq!(zones("212 555 0123"), vec![chrono_tz::America::New_York]);
        assert_eq!(zones("415 555 0134"), vec![chrono_tz::America::Los_Angeles]);
        assert_eq!(
            zones("+1 604 555 0100"),
            vec![chrono_tz::America::Vancouver]
        );
        assert_eq!(
            zones("850 555 0100"),
            vec![chrono_tz::America::Chicago, chrono_tz::America::New_York],
            "the Florida panhandle straddles Central and Eastern"
        );
    }

    #[test]
    fn other_countries_use_the_country_table_and_stored_zones_win() {
        assert_eq!(zones("+44 20 7946 0958"), vec![chrono_tz::Europe::London]);
        assert_eq!(
            zones("+61 2 9374 4000").len(),
            8,
            "Australia: every mainland zone"
        );
        let uk = PhoneE164::parse("+44 20 7946 0958", None).unwrap();
        assert_eq!(
            contact_zones(Some("Europe/Dublin"), &uk).unwrap(),
            vec![chrono_tz::Europe::Dublin]
        );
        assert!(contact_zones(Some("Mars/Olympus"), &uk).is_err());
    }

    #[test]
    fn no_area_code_is_listed_twice() {
        let mut seen = std::collections::HashMap::new();
        for area in 200..1000u16 {
            let hits = super::super::nanp::count_listings(area);
            if hits > 1 {
                seen.insert(area, hits);
            }
        }
        assert!(seen.is_empty(), "{seen:?}");
    }
}
