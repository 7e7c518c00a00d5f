//! Go's `sort.Stable` and `sort.Sort` procedures, reproduced because Akash sorts with
//! comparators that are not strict orders (storage volumes) or that leave ties (exposes,
//! merged endpoints): with those, the result depends on the exact algorithm, not just on
//! the comparator.

/// Go `sort.Stable`: insertion sort on blocks of 20, then SymMerge passes. Also the small,
/// allocation-free stable sort Leasekit uses instead of `slice::sort_by` (whose code is large in Wasm).
pub fn go_stable_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = items.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(items, a, b, &less);
        a = b;
        b += block;
    }
    insertion_sort(items, a, n, &less);
    while block < n {
        let (mut a, mut b) = (0, 2 * block);
        while b <= n {
            sym_merge(items, a, a + block, b, &less);
            a = b;
            b += 2 * block;
        }
        if a + block < n {
            sym_merge(items, a, a + block, n, &less);
        }
        block *= 2;
    }
}

/// Go `sort.Sort` for up to 12 elements (pdqsort falls back to insertion sort there). Longer
/// inputs are sorted stably; returns false when that may differ from Go, i.e. when two
/// elements compare equal and Go's pdqsort could have swapped them.
pub(crate) fn go_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) -> bool {
    let n = items.len();
    insertion_sort(items, 0, n, &less);
    n <= 12 || items.windows(2).all(|w| less(&w[0], &w[1]))
}

fn insertion_sort<T>(items: &mut [T], a: usize, b: usize, less: &impl Fn(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Merges the sorted runs `a..m` and `m..b` in place (Kim & Kutzner's SymMerge, as Go does it).
fn sym_merge<T>(items: &mut [T], a: usize, m: usize, b: usize, less: &impl Fn(&T, &T) -> bool) {
    if m - a == 1 {
        // Binary search for the first element of m..b not less than items[a].
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(&items[h], &items[a]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in a..i - 1 {
            items.swap(k, k + 1);
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if less(&items[m], &items[h]) {
                j = h;
            } else {
                i = h + 1;
            }
        }
        let mut k = m;
        while k > i {
            items.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if less(&items[p - c], &items[c]) {
            r = c;
        } else {
            start = c + 1;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(items, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(items, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(items, mid, end, b, less);
    }
}

/// Rotates `a..b` so that `m..b` comes before `a..m`, by block swaps as Go does.
fn rotate<T>(items: &mut [T], a: usize, m: usize, b: usize) {
    let (mut i, mut j) = (m - a, b - m);
    while i != j {
        if i > j {
            swap_range(items, m - i, m, j);
            i -= j;
        } else {
            swap_range(items, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(items, m - i, m, i);
}

fn swap_range<T>(items: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        items.swap(a + i, b + i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_sort_sorts_long_inputs_stably() {
        let mut v: Vec<(u32, usize)> = (0..200).map(|i| ((i * 7919 % 13) as u32, i)).collect();
        go_stable_sort(&mut v, |a, b| a.0 < b.0);
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
    }

    #[test]
    fn non_strict_comparator_reverses_like_go_insertion_sort() {
        // "Always less" reverses the input under Go's insertion sort (sdl.md §4.4).
        let mut v = vec!['a', 'b', 'c'];
        go_stable_sort(&mut v, |_, _| true);
        assert_eq!(v, ['c', 'b', 'a']);
    }

    #[test]
    fn go_sort_reports_ties_past_twelve() {
        let mut short: Vec<u8> = vec![3, 1, 1, 2];
        assert!(go_sort(&mut short, |a, b| a < b));
        let mut long: Vec<u8> = (0..13).map(|i| i % 3).collect();
        assert!(!go_sort(&mut long, |a, b| a < b));
        let mut distinct: Vec<u8> = (0..20).rev().collect();
        assert!(go_sort(&mut distinct, |a, b| a < b));
        assert_eq!(distinct, (0..20).collect::<Vec<u8>>());
    }
}
