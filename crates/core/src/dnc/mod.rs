//! Do-not-call lists: one per organization and one per campaign, each a set of E.164
//! numbers normalized by [`crate::phone::PhoneE164`]. The dialer asks [`DncRegistry::check`]
//! right before placing a call (not only at import), so a number added after the contact
//! list was loaded is still honoured. Loading and persisting the lists is the API's job.

mod set;

use std::collections::HashMap;
use std::hash::Hash;

pub use set::NumberSet;

use crate::phone::PhoneE164;

/// Which list blocked a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DncList<C> {
    /// The organization-wide list.
    Organization,
    /// The list of this campaign.
    Campaign(C),
}

/// The do-not-call lists of one organization, keyed by campaign id `C`.
#[derive(Debug, Clone)]
pub struct DncRegistry<C> {
    organization: NumberSet,
    campaigns: HashMap<C, NumberSet>,
}

impl<C> Default for DncRegistry<C> {
    fn default() -> Self {
        Self {
            organization: NumberSet::default(),
            campaigns: HashMap::new(),
        }
    }
}

impl<C: Eq + Hash + Copy> DncRegistry<C> {
    /// Empty lists.
    pub fn new() -> Self {
        Self::default()
    }

    fn list_mut(&mut self, list: DncList<C>) -> &mut NumberSet {
        match list {
            DncList::Organization => &mut self.organization,
            DncList::Campaign(id) => self.campaigns.entry(id).or_default(),
        }
    }

    /// Adds a number to a list; false when it was already there.
    pub fn add(&mut self, list: DncList<C>, number: &PhoneE164) -> bool {
        self.list_mut(list).insert(number.digits())
    }

    /// Removes a number from a list; false when it was not there.
    pub fn remove(&mut self, list: DncList<C>, number: &PhoneE164) -> bool {
        self.list_mut(list).remove(number.digits())
    }

    /// Replaces the organization list wholesale (bulk import).
    pub fn set_organization_list(&mut self, numbers: NumberSet) {
        self.organization = numbers;
    }

    /// The list that forbids calling `number` for `campaign`, if any.
    pub fn check(&self, campaign: C, number: &PhoneE164) -> Option<DncList<C>> {
        let digits = number.digits();
        if self.organization.contains(digits) {
            return Some(DncList::Organization);
        }
        let blocked = self
            .campaigns
            .get(&campaign)
            .is_some_and(|set| set.contains(digits));
        blocked.then_some(DncList::Campaign(campaign))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn phone(input: &str, region: &str) -> PhoneE164 {
        PhoneE164::parse(input, Some(region)).unwrap()
    }

    #[test]
    fn a_number_is_blocked_however_it_was_written() {
        let mut dnc = DncRegistry::new();
        dnc.add(DncList::Organization, &phone("+44 20 7946 0958", "US"));
        let same = phone("0044 20-7946-0958", "FR");
        assert_eq!(dnc.check(7, &same), Some(DncList::Organization));
        assert_eq!(
            dnc.check(7, &phone("020 7946 0958", "GB")),
            Some(DncList::Organization)
        );
        assert_eq!(dnc.check(7, &phone("020 7946 0959", "GB")), None);
    }

    #[test]
    fn campaign_lists_only_block_their_campaign() {
        let mut dnc = DncRegistry::new();
        let n = phone("(415) 555-0134", "US");
        assert!(dnc.add(DncList::Campaign(1), &n));
        assert_eq!(dnc.check(1, &n), Some(DncList::Campaign(1)));
        assert_eq!(dnc.check(2, &n), None);
        assert!(dnc.remove(DncList::Campaign(1), &n));
        assert_eq!(dnc.check(1, &n), None);
    }

    #[test]
    fn a_number_added_after_import_blocks_the_next_dial() {
        let mut dnc: DncRegistry<u32> = DncRegistry::new();
        let n = phone("602 547 854", "CZ");
        assert_eq!(dnc.check(1, &n), None);
        dnc.add(DncList::Organization, &n);
        assert_eq!(dnc.check(1, &n), Some(DncList::Organization));
    }
}
