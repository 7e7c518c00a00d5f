//! Collections for the engine.
//!
//! [`SortedMap`]: the model's maps, iterated in key order as Go iterates sorted keys. Built in
//! bulk (sort once) and then only read, as a sorted `Vec`: as fast as a B-tree for lookups, and a
//! fraction of the Wasm size `BTreeMap` adds for every key/value type (which was the largest
//! part of the package).
//!
//! [`HashSet`]/[`HashMap`]: for sets built while scanning (duplicates, used names), which must
//! stay linear on hostile inputs. Their hasher has fixed keys: the core uses no randomness, and
//! nothing iterates them into output.

use std::borrow::Borrow;
use std::hash::BuildHasherDefault;

/// A fixed-key SipHash state.
pub(crate) type FixedState = BuildHasherDefault<std::hash::DefaultHasher>;
/// A hash set with [`FixedState`].
pub(crate) type HashSet<K> = std::collections::HashSet<K, FixedState>;
/// A hash map with [`FixedState`].
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, FixedState>;

/// Entries sorted by key, keys unique.
#[derive(Debug, Clone)]
pub(crate) struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

/// A set kept as a sorted vector.
pub(crate) type SortedSet<K> = SortedMap<K, ()>;

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self { entries: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub(crate) fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub(crate) fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Ord> SortedMap<K, ()> {
    pub(crate) fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.contains_key(key)
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Sorts once; later entries replace earlier ones with the same key.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut entries: Vec<(K, V)> = iter.into_iter().collect();
        crate::sort::go_stable_sort(&mut entries, |a, b| a.0 < b.0);
        // Equal keys are adjacent and in input order: keep the last of each run.
        let mut unique: Vec<(K, V)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => unique.push(entry),
            }
        }
        Self { entries: unique }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_sorted_with_the_last_duplicate_winning() {
        let map: SortedMap<String, u32> =
            [("b", 1), ("a", 2), ("b", 3), ("c", 5)].into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        assert_eq!(map.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("a", 2), ("b", 3), ("c", 5)]);
        assert_eq!(map.get("b"), Some(&3));
        assert!(!map.contains_key("z"));
        let set: SortedSet<u8> = [(2, ()), (1, ())].into_iter().collect();
        assert!(set.contains(&1) && !set.contains(&3));
        // Reverse-ordered input of many keys: one sort, not quadratic insertion.
        let big: SortedMap<u32, ()> = (0..100_000u32).rev().map(|k| (k, ())).collect();
        assert!(big.contains_key(&99_999) && big.keys().zip(big.keys().skip(1)).all(|(a, b)| a < b));
    }
}
