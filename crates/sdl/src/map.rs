//! Collections for Leasekit's pure crates.
//!
//! [`SortedMap`] / [`SortedSet`]: ordered maps and sets as sorted `Vec`s. The maps Leasekit keeps
//! (an SDL's services, a provider's declarations) hold tens to hundreds of entries: at that size a
//! sorted `Vec` is as fast as a B-tree, and its code is a fraction of the Wasm size `BTreeMap`
//! adds for every key/value type (which was the largest part of the package). Build large maps
//! in bulk (`collect`: one sort); single inserts and removes move the tail.
//!
//! [`HashSet`]/[`HashMap`]: for sets built while scanning (duplicates, used names), which must
//! stay linear on hostile inputs. Their hasher has fixed keys: the core uses no randomness, and
//! nothing iterates them into output.

use std::borrow::Borrow;
use std::hash::BuildHasherDefault;

/// A fixed-key SipHash state.
pub type FixedState = BuildHasherDefault<std::hash::DefaultHasher>;
/// A hash set with [`FixedState`].
pub type HashSet<K> = std::collections::HashSet<K, FixedState>;
/// A hash map with [`FixedState`].
pub type HashMap<K, V> = std::collections::HashMap<K, V, FixedState>;

/// Entries sorted by key, keys unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

/// Keys sorted and unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<K> {
    map: SortedMap<K, ()>,
}

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

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// True when `key` is present.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Inserts or replaces; returns the value replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The value of `key`, inserted with `make` first when absent.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> std::ops::Index<&K> for SortedMap<K, V> {
    type Output = V;

    /// Panics when `key` is absent, like `BTreeMap`'s index; use [`SortedMap::get`] otherwise.
    fn index(&self, key: &K) -> &V {
        match self.get(key) {
            Some(v) => v,
            None => panic!("SortedMap: no such key"),
        }
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        Self { map: SortedMap::default() }
    }
}

impl<K: Ord> SortedSet<K> {
    /// Adds a key; false when it was already there.
    pub fn insert(&mut self, key: K) -> bool {
        self.map.insert(key, ()).is_none()
    }

    /// True when `key` is in the set.
    pub fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(key)
    }

    /// The keys in order.
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.map.keys()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<K: Ord> FromIterator<K> for SortedSet<K> {
    /// Sorts once.
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        Self { map: iter.into_iter().map(|k| (k, ())).collect() }
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
        let mut set: SortedSet<u8> = [2, 1, 2].into_iter().collect();
        assert!(set.contains(&1) && !set.contains(&3) && set.len() == 2);
        assert!(set.insert(0) && !set.insert(0));
        assert_eq!(set.iter().copied().collect::<Vec<_>>(), [0, 1, 2]);
        let mut map: SortedMap<&str, u32> = [("b", 1), ("a", 2)].into_iter().collect();
        *map.get_or_insert_with("c", || 0) += 3;
        assert_eq!(map.remove("a"), Some(2));
        map.retain(|k, _| *k != "b");
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [("c", 3)]);
        // Reverse-ordered input of many keys: one sort, not quadratic insertion.
        let big: SortedMap<u32, ()> = (0..100_000u32).rev().map(|k| (k, ())).collect();
        assert!(big.contains_key(&99_999) && big.keys().zip(big.keys().skip(1)).all(|(a, b)| a < b));
    }
}
