//! Localized texts of error details and field messages in English, Spanish and Czech.
//! The web app translates codes with its own catalogue; these are for API clients.

use cc_types::{ErrorCode, Language};

/// The `detail` of a problem with this code, in `lang`.
pub fn detail(code: ErrorCode, lang: Language) -> &'static str {
    let [en, es, cs] = texts(code);
    match lang {
        Language::En => en,
        Language::Es => es,
        Language::Cs => cs,
    }
}

fn texts(code: ErrorCode) -> [&'static str; 3] {
    use ErrorCode as C;
    match code {
        C::ValidationFailed => [
            "Some fields are invalid.",
            "Algunos campos no son válidos.",
            "Některá pole jsou neplatná.",
        ],
        C::MalformedBody => [
            "The request body is not a valid JSON object.",
            "El cuerpo de la solicitud no es un objeto JSON válido.",
            "Tělo požadavku není platný objekt JSON.",
        ],
        C::UnsupportedMediaType => [
            "Send the body as application/json.",
            "Envíe el cuerpo como application/json.",
            "Odešlete tělo jako application/json.",
        ],
        C::PayloadTooLarge => [
            "The request body is too large.",
            "El cuerpo de la solicitud es demasiado grande.",
            "Tělo požadavku je příliš velké.",
        ],
        C::InvalidQuery => [
            "A query parameter is invalid.",
            "Un parámetro de consulta no es válido.",
            "Parametr dotazu je neplatný.",
        ],
        C::NotFound => [
            "Nothing was found at this address.",
            "No se encontró nada en esta dirección.",
            "Na této adrese nebylo nic nalezeno.",
        ],
        C::MethodNotAllowed => [
            "This method is not allowed here.",
            "Este método no está permitido aquí.",
            "Tato metoda zde není povolena.",
        ],
        C::Unauthenticated => [
            "Sign in to continue.",
            "Inicie sesión para continuar.",
            "Pro pokračování se přihlaste.",
        ],
        C::InvalidToken => [
            "Your session is invalid or has expired.",
            "Su sesión no es válida o ha caducado.",
            "Vaše relace je neplatná nebo vypršela.",
        ],
        C::TokenRevoked => [
            "Your session has ended. Sign in again.",
            "Su sesión ha terminado. Inicie sesión de nuevo.",
            "Vaše relace skončila. Přihlaste se znovu.",
        ],
        C::InvalidCredentials => [
            "Email or password is incorrect.",
            "El correo o la contraseña son incorrectos.",
            "E-mail nebo heslo je nesprávné.",
        ],
        C::AccountDisabled => [
            "This account has been deactivated.",
            "Esta cuenta ha sido desactivada.",
            "Tento účet byl deaktivován.",
        ],
        C::Forbidden => [
            "Your role does not allow this action.",
            "Su rol no permite esta acción.",
            "Vaše role tuto akci nepovoluje.",
        ],
        C::InsufficientScope => [
            "This API key lacks the scope for this action.",
            "Esta clave de API no tiene el alcance para esta acción.",
            "Tento klíč API nemá oprávnění pro tuto akci.",
        ],
        C::IpNotAllowed => [
            "Your network address is not allowed here.",
            "Su dirección de red no está permitida aquí.",
            "Vaše síťová adresa zde není povolena.",
        ],
        C::LoginThrottled => [
            "Too many failed sign-ins. Try again later.",
            "Demasiados intentos fallidos. Inténtelo más tarde.",
            "Příliš mnoho neúspěšných přihlášení. Zkuste to později.",
        ],
        C::RateLimited => [
            "Too many requests. Slow down and retry later.",
            "Demasiadas solicitudes. Reintente más tarde.",
            "Příliš mnoho požadavků. Zkuste to později.",
        ],
        C::RefreshTokenInvalid => [
            "The refresh token is invalid or expired.",
            "El token de actualización no es válido o ha caducado.",
            "Obnovovací token je neplatný nebo vypršel.",
        ],
        C::RefreshTokenReused => [
            "This session was used twice and has been ended for safety.",
            "Esta sesión se usó dos veces y se cerró por seguridad.",
            "Tato relace byla použita dvakrát a z bezpečnostních důvodů byla ukončena.",
        ],
        C::EmailTaken => [
            "This email is already in use.",
            "Este correo ya está en uso.",
            "Tento e-mail je již používán.",
        ],
        C::NameTaken => [
            "This name is already in use.",
            "Este nombre ya está en uso.",
            "Tento název je již používán.",
        ],
        C::CurrentPasswordIncorrect => [
            "The current password is incorrect.",
            "La contraseña actual es incorrecta.",
            "Současné heslo je nesprávné.",
        ],
        C::CannotChangeOwnAccount => [
            "You cannot deactivate or demote your own account.",
            "No puede desactivar ni degradar su propia cuenta.",
            "Nemůžete deaktivovat ani snížit roli vlastního účtu.",
        ],
        C::WebsocketUpgradeRequired => [
            "Open this address as a WebSocket.",
            "Abra esta dirección como WebSocket.",
            "Otevřete tuto adresu jako WebSocket.",
        ],
        C::TicketInvalid => [
            "The connection ticket is invalid, expired or already used.",
            "El ticket de conexión no es válido, caducó o ya se usó.",
            "Lístek pro připojení je neplatný, vypršel nebo již byl použit.",
        ],
        C::TopicForbidden => [
            "You may not follow this topic.",
            "No puede seguir este tema.",
            "Toto téma nemůžete sledovat.",
        ],
        C::ServiceUnavailable => [
            "The service is temporarily unavailable.",
            "El servicio no está disponible temporalmente.",
            "Služba je dočasně nedostupná.",
        ],
        C::ServerBusy => [
            "The server is busy. Try again in a moment.",
            "El servidor está ocupado. Inténtelo de nuevo en un momento.",
            "Server je zaneprázdněn. Zkuste to za chvíli znovu.",
        ],
        C::TooManyConnections => [
            "Too many live connections are open. Close another tab or window.",
            "Hay demasiadas conexiones en vivo abiertas. Cierre otra pestaña o ventana.",
            "Je otevřeno příliš mnoho živých spojení. Zavřete jinou kartu nebo okno.",
        ],
        C::ApiKeyExceedsCaller => [
            "An API key can only create keys with its own role and scopes or fewer.",
            "Una clave de API solo puede crear claves con su propio rol y alcances o menos.",
            "Klíč API může vytvářet jen klíče se svou rolí a oprávněními nebo menšími.",
        ],
        C::TeamCycle => [
            "A team cannot be placed under itself or under one of its own teams.",
            "Un equipo no puede quedar dentro de sí mismo ni de uno de sus subequipos.",
            "Tým nelze umístit pod sebe sama ani pod některý ze svých podřízených týmů.",
        ],
        C::TeamNotEmpty => [
            "The team still has child teams; choose the team they move to.",
            "El equipo todavía tiene subequipos; elija el equipo al que pasan.",
            "Tým má ještě podřízené týmy; vyberte tým, do kterého přejdou.",
        ],
        C::ShiftOverlap => [
            "The agent already has a shift at that time.",
            "El agente ya tiene un turno a esa hora.",
            "Agent už má v tu dobu směnu.",
        ],
        C::TimeOffOverlap => [
            "The agent already has time off requested or approved then.",
            "El agente ya tiene una ausencia solicitada o aprobada en ese periodo.",
            "Agent už má na tu dobu požádáno o volno nebo schválené volno.",
        ],
        C::ForecastOverlap => [
            "Another day's forecast of this team covers part of this day.",
            "El pronóstico de otro día de este equipo cubre parte de este día.",
            "Předpověď jiného dne tohoto týmu pokrývá část tohoto dne.",
        ],
        C::AlreadyDecided => [
            "This request has been decided or cancelled already.",
            "Esta solicitud ya se resolvió o se canceló.",
            "O této žádosti už bylo rozhodnuto nebo byla zrušena.",
        ],
        C::AgentExists => [
            "This user already has an agent profile.",
            "Este usuario ya tiene un perfil de agente.",
            "Tento uživatel už má profil agenta.",
        ],
        C::ExtensionTaken => [
            "Another agent already has this extension.",
            "Otro agente ya tiene esta extensión.",
            "Tuto linku už má jiný agent.",
        ],
        C::SkillInUse => [
            "Agents still hold this skill; remove it from them first.",
            "Hay agentes que todavía tienen esta habilidad; quítesela primero.",
            "Tuto dovednost ještě mají agenti; nejdřív jim ji odeberte.",
        ],
        C::WrongRole => [
            "This user is inactive or has a role that does not allow it.",
            "Este usuario está inactivo o tiene un rol que no lo permite.",
            "Tento uživatel je neaktivní nebo má roli, která to nedovoluje.",
        ],
        C::InvalidTransition => [
            "This change of state is not possible now.",
            "Este cambio de estado no es posible ahora.",
            "Tato změna stavu teď není možná.",
        ],
        C::ReasonBuiltIn => [
            "Built-in reasons cannot be deleted; you can change their longest duration.",
            "Los motivos integrados no se pueden eliminar; puede cambiar su duración máxima.",
            "Vestavěné důvody nelze smazat; můžete změnit jejich nejdelší dobu.",
        ],
        C::LimitReached => [
            "The organization has as many of these as allowed.",
            "La organización ya tiene el máximo permitido.",
            "Organizace už jich má nejvíc, kolik je povoleno.",
        ],
        C::Internal => [
            "Something went wrong on our side.",
            "Algo salió mal de nuestro lado.",
            "Na naší straně se něco pokazilo.",
        ],
    }
}

/// A sentence for a field that broke `rule` (a validator code or a parsing failure).
pub fn field_message(rule: &str, lang: Language, min: Option<i64>, max: Option<i64>) -> String {
    if let ("max_days", Some(days)) = (rule, max) {
        return match lang {
            Language::En => format!("Cover at most {days} days at once."),
            Language::Es => format!("Abarque como máximo {days} días a la vez."),
            Language::Cs => format!("Zahrňte najednou nejvýš {days} dní."),
        };
    }
    let (en, es, cs) = match rule {
        "email" => (
            "Enter a valid email address.",
            "Introduzca un correo válido.",
            "Zadejte platnou e-mailovou adresu.",
        ),
        "required" => (
            "This field is required.",
            "Este campo es obligatorio.",
            "Toto pole je povinné.",
        ),
        "unknown_variant" => (
            "This value is not one of the allowed options.",
            "Este valor no es una de las opciones permitidas.",
            "Tato hodnota není mezi povolenými možnostmi.",
        ),
        "invalid_type" => (
            "This value has the wrong type.",
            "Este valor tiene un tipo incorrecto.",
            "Tato hodnota má nesprávný typ.",
        ),
        "control_characters" => (
            "Use a single line of text, without tabs or control characters.",
            "Use una sola línea de texto, sin tabuladores ni caracteres de control.",
            "Použijte jeden řádek textu bez tabulátorů a řídicích znaků.",
        ),
        "not_found" => (
            "Nothing with this id exists here.",
            "No existe nada con este identificador aquí.",
            "Nic s tímto identifikátorem zde neexistuje.",
        ),
        "wrong_role" => (
            "Choose an active user whose role allows it.",
            "Elija un usuario activo cuyo rol lo permita.",
            "Vyberte aktivního uživatele, jehož role to dovoluje.",
        ),
        "language_tag" => (
            "Use language tags such as cs, es-MX or en-US.",
            "Use etiquetas de idioma como cs, es-MX o en-US.",
            "Použijte jazykové značky jako cs, es-MX nebo en-US.",
        ),
        "time_zone" => (
            "Choose a time zone such as Europe/Prague.",
            "Elija una zona horaria como Europe/Madrid.",
            "Vyberte časové pásmo, například Europe/Prague.",
        ),
        "digits" => (
            "Use digits only.",
            "Use solo dígitos.",
            "Použijte jen číslice.",
        ),
        "time_of_day" => (
            "Use a 24-hour time such as 09:30.",
            "Use una hora de 24 horas como 09:30.",
            "Použijte čas ve 24hodinovém formátu, například 09:30.",
        ),
        "after_start" => (
            "The end must come after the start.",
            "El final debe ser posterior al inicio.",
            "Konec musí být po začátku.",
        ),
        "after_from" => (
            "The last date must not be before the first.",
            "La última fecha no puede ser anterior a la primera.",
            "Poslední datum nesmí být před prvním.",
        ),
        "max_hours" => (
            "A shift lasts at most 24 hours.",
            "Un turno dura como máximo 24 horas.",
            "Směna trvá nejvýš 24 hodin.",
        ),
        "max_days" => (
            "The span is too long: at most 62 days for a schedule, 31 for time off and adherence, 7 for staffing.",
            "El periodo es demasiado largo: como máximo 62 días para un horario, 31 para ausencias y adherencia, 7 para la dotación.",
            "Období je příliš dlouhé: nejvýš 62 dní pro rozpis, 31 pro volno a dodržování, 7 pro personální plán.",
        ),
        "day_intervals" => (
            "The day has fewer intervals than the calls given (a day of a daylight-saving change has 23 or 25 hours).",
            "El día tiene menos intervalos que las llamadas indicadas (un día de cambio de horario tiene 23 o 25 horas).",
            "Den má méně intervalů, než kolik je zadáno hovorů (den změny času má 23 nebo 25 hodin).",
        ),
        "within_shift" => (
            "Breaks must lie inside the shift.",
            "Las pausas deben estar dentro del turno.",
            "Přestávky musí ležet uvnitř směny.",
        ),
        "overlap" => (
            "Breaks must not overlap each other.",
            "Las pausas no deben solaparse.",
            "Přestávky se nesmí překrývat.",
        ),
        "length" | "range" => return bounds(lang, rule, min, max),
        _ => (
            "This value is invalid.",
            "Este valor no es válido.",
            "Tato hodnota je neplatná.",
        ),
    };
    match lang {
        Language::En => en,
        Language::Es => es,
        Language::Cs => cs,
    }
    .to_owned()
}

fn bounds(lang: Language, rule: &str, min: Option<i64>, max: Option<i64>) -> String {
    let chars = rule == "length";
    match (lang, min, max) {
        (Language::En, Some(a), Some(b)) => format!(
            "Must be between {a} and {b}{}.",
            if chars { " characters" } else { "" }
        ),
        (Language::En, Some(a), None) => format!(
            "Must be at least {a}{}.",
            if chars { " characters" } else { "" }
        ),
        (Language::En, None, Some(b)) => format!(
            "Must be at most {b}{}.",
            if chars { " characters" } else { "" }
        ),
        (Language::Es, Some(a), Some(b)) => format!(
            "Debe estar entre {a} y {b}{}.",
            if chars { " caracteres" } else { "" }
        ),
        (Language::Es, Some(a), None) => format!(
            "Debe tener al menos {a}{}.",
            if chars { " caracteres" } else { "" }
        ),
        (Language::Es, None, Some(b)) => format!(
            "Debe tener como máximo {b}{}.",
            if chars { " caracteres" } else { "" }
        ),
        (Language::Cs, Some(a), Some(b)) => format!(
            "Musí být mezi {a} a {b}{}.",
            if chars { " znaky" } else { "" }
        ),
        (Language::Cs, Some(a), None) => {
            format!("Musí mít alespoň {a}{}.", if chars { " znaků" } else { "" })
        }
        (Language::Cs, None, Some(b)) => {
            format!("Může mít nejvýše {b}{}.", if chars { " znaků" } else { "" })
        }
        (_, None, None) => field_message("other", lang, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_three_distinct_translations() {
        for code in [
            ErrorCode::ValidationFailed,
            ErrorCode::InvalidCredentials,
            ErrorCode::Internal,
        ] {
            let [en, es, cs] = texts(code);
            assert!(en != es && es != cs && en != cs);
        }
        assert_eq!(
            detail(ErrorCode::NotFound, Language::Cs),
            "Na této adrese nebylo nic nalezeno."
        );
    }

    #[test]
    fn length_messages_carry_the_bounds() {
        assert_eq!(
            field_message("length", Language::Cs, Some(10), Some(128)),
            "Musí být mezi 10 a 128 znaky."
        );
        assert_eq!(
            field_message("range", Language::En, Some(1), Some(500)),
            "Must be between 1 and 500."
        );
    }
}
