//! A hash set specialised for E.164 numbers: each number is its digits as a `u64` stored
//! in one flat open-addressing table (linear probing, 80% load), 8 bytes a slot and no
//! per-entry allocation. 10 million numbers take about 100 MB; membership is O(1).

/// An empty slot; E.164 digits are never 0.
const EMPTY: u64 = 0;

/// A set of E.164 numbers keyed by their digits.
#[derive(Debug, Clone)]
pub struct NumberSet {
    slots: Vec<u64>,
    len: usize,
}

impl Default for NumberSet {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

fn slots_for(numbers: usize) -> usize {
    (numbers + numbers / 4).max(16)
}

/// Spreads the digits over 64 bits (a multiply-xorshift mix).
fn mix(digits: u64) -> u64 {
    let mut x = digits ^ (digits >> 31);
    x = x.wrapping_mul(0x7FB5_D329_728E_A185);
    x ^= x >> 27;
    x = x.wrapping_mul(0x81DA_DEF4_BC2D_D44D);
    x ^ (x >> 33)
}

impl NumberSet {
    /// A set that holds `numbers` entries without growing.
    pub fn with_capacity(numbers: usize) -> Self {
        Self {
            slots: vec![EMPTY; slots_for(numbers)],
            len: 0,
        }
    }

    /// Numbers held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of the table on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<u64>()
    }

    fn home(&self, digits: u64) -> usize {
        // Maps the hash onto [0, slots) without a power-of-two table.
        ((u128::from(mix(digits)) * self.slots.len() as u128) >> 64) as usize
    }

    /// The slot holding `digits`, or the empty slot where it would go.
    fn probe(&self, digits: u64) -> usize {
        let mut i = self.home(digits);
        loop {
            let slot = self.slots[i];
            if slot == digits || slot == EMPTY {
                return i;
            }
            i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
        }
    }

    /// True when the digits are in the set.
    pub fn contains(&self, digits: u64) -> bool {
        digits != EMPTY && self.slots[self.probe(digits)] == digits
    }

    /// Adds the digits; false when they were already there.
    pub fn insert(&mut self, digits: u64) -> bool {
        if digits == EMPTY {
            return false;
        }
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        let i = self.probe(digits);
        if self.slots[i] == digits {
            return false;
        }
        self.slots[i] = digits;
        self.len += 1;
        true
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![EMPTY; slots_for(self.len.max(8) * 2)];
        for digits in old.into_iter().filter(|d| *d != EMPTY) {
            let i = self.probe(digits);
            self.slots[i] = digits;
        }
    }

    /// Removes the digits; false when they were not there. Later entries of the probe run
    /// shift back so lookups never need tombstones.
    pub fn remove(&mut self, digits: u64) -> bool {
        if !self.contains(digits) {
            return false;
        }
        let n = self.slots.len();
        let mut hole = self.probe(digits);
        self.slots[hole] = EMPTY;
        self.len -= 1;
        let mut j = hole;
        loop {
            j = if j + 1 == n { 0 } else { j + 1 };
            let entry = self.slots[j];
            if entry == EMPTY {
                return true;
            }
            let home = self.home(entry);
            // Move the entry into the hole unless its home lies cyclically in (hole, j].
            let home_after_hole = (home + n - hole) % n;
            let j_after_hole = (j + n - hole) % n;
            if home_after_hole == 0 || home_after_hole > j_after_hole {
                self.slots[hole] = entry;
                self.slots[j] = EMPTY;
                hole = j;
            }
        }
    }
}

impl FromIterator<u64> for NumberSet {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut set = Self::with_capacity(iter.size_hint().0);
        for digits in iter {
            set.insert(digits);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn ten_thousand_numbers_fit_in_about_ten_bytes_each() {
        let set: NumberSet = (0..10_000u64).map(|i| 14_155_550_000 + i * 7).collect();
        assert_eq!(set.len(), 10_000);
        assert!(
            set.heap_bytes() <= 10_000 * 10 + 128,
            "{}",
            set.heap_bytes()
        );
        assert!(set.contains(14_155_550_007));
        assert!(!set.contains(14_155_550_001));
        assert!(!set.contains(0));
    }

    proptest! {
        /// The set answers exactly like std's HashSet through inserts and removes.
        #[test]
        fn behaves_like_a_hash_set(ops in prop::collection::vec((any::<bool>(), 1u64..300), 0..600)) {
            let (mut ours, mut model) = (NumberSet::default(), HashSet::new());
            for (add, digits) in ops {
                if add {
                    prop_assert_eq!(ours.insert(digits), model.insert(digits));
                } else {
                    prop_assert_eq!(ours.remove(digits), model.remove(&digits));
                }
                prop_assert_eq!(ours.len(), model.len());
            }
            for digits in 1u64..300 {
                prop_assert_eq!(ours.contains(digits), model.contains(&digits));
            }
        }
    }
}
