//! Each metric's values while they are worked out: found by (entity,
//! metric, period) through a small map to their place in a list, so that a
//! value (some four hundred bytes) is moved once into the list as it is
//! made and once out of it into the report, never again as a map grows or
//! gives it up.

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::slice::ParallelSliceMut;

use super::Tracked;
use crate::model::Period;
use crate::validate::{EntityIdx, MetricIdx};

/// A value's key: its entity, metric and period.
pub(crate) type Key = (EntityIdx, MetricIdx, Period);

/// Values by key. A value stays where it was put: taking the values out in
/// the report's order ([`Cells::take_in_order`]) is the only removal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cells {
    at: HashMap<Key, u32, ahash::RandomState>,
    values: Vec<Option<Tracked>>,
}

impl Cells {
    /// Room for `n` more values.
    pub(super) fn reserve(&mut self, n: usize) {
        self.at.reserve(n);
        self.values.reserve(n);
    }

    /// The value under `k`.
    pub(super) fn get(&self, k: &Key) -> Option<&Tracked> {
        self.at
            .get(k)
            .and_then(|&i| self.values[i as usize].as_ref())
    }

    /// The value under `k`, to change.
    pub(super) fn get_mut(&mut self, k: &Key) -> Option<&mut Tracked> {
        self.at
            .get(k)
            .and_then(|&i| self.values[i as usize].as_mut())
    }

    /// Puts `t` under `k`, in place of the value there if any.
    pub(super) fn insert(&mut self, k: Key, t: Tracked) {
        match self.at.get(&k) {
            Some(&i) => self.values[i as usize] = Some(t),
            None => {
                let i = u32::try_from(self.values.len()).expect("fewer than 4 billion values");
                self.at.insert(k, i);
                self.values.push(Some(t));
            }
        }
    }

    /// The value under `k`, made by `make` if there is none.
    pub(super) fn entry(&mut self, k: Key) -> Entry<'_> {
        Entry { cells: self, k }
    }

    /// The values of metric `m` among `cells` (a report's), copied.
    pub(super) fn of_metric(cells: &[Tracked], m: MetricIdx) -> Cells {
        let mut out = Cells::default();
        for c in cells.iter().filter(|c| c.metric == m) {
            out.insert((c.entity, c.metric, c.period), c.clone());
        }
        out
    }

    /// Every key (in no particular order).
    pub(super) fn keys(&self) -> impl Iterator<Item = &Key> {
        self.at.keys()
    }

    /// Every value of every one of `all`, in the order of their keys: each
    /// moved out of its list once.
    pub(super) fn take_in_order(all: Vec<Cells>) -> Vec<Tracked> {
        let mut keys: Vec<(Key, usize, u32)> = all
            .iter()
            .enumerate()
            .flat_map(|(list, c)| c.at.iter().map(move |(k, &i)| (*k, list, i)))
            .collect();
        // Hundreds of thousands on a large site: sorted on every thread
        // (the keys are distinct, so any sort gives the one order).
        keys.par_sort_unstable_by_key(|k| k.0);
        let mut lists: Vec<Vec<Option<Tracked>>> = all.into_iter().map(|c| c.values).collect();
        // Sized at once: grown by doubling, the list was copied and its
        // fresh memory touched again and again.
        let mut out = spare(keys.len());
        out.extend(
            keys.iter()
                .filter_map(|&(_, list, i)| lists[list][i as usize].take()),
        );
        out
    }
}

/// The emptied list of the report dropped last, for the next one's cells.
/// `rekap serve` makes a report at every save of a figure: a list of some
/// 60 MB on the large benchmark site, which the allocator takes fresh from
/// the system (every page zeroed again as it is first written, a tenth of
/// such a save) once the last report's list is freed on another thread.
static SPARE: Mutex<Vec<Tracked>> = Mutex::new(Vec::new());

/// An empty list with room for `len` values: the spare one if it is large
/// enough.
fn spare(len: usize) -> Vec<Tracked> {
    let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
    if spare.capacity() >= len {
        std::mem::take(&mut *spare)
    } else {
        Vec::with_capacity(len)
    }
}

/// Empties `list` (a report's cells, as the report is dropped) and keeps
/// it for the next report if it is larger than the one kept.
pub(super) fn give_back(mut list: Vec<Tracked>) {
    list.clear();
    let smaller = {
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        if list.capacity() > spare.capacity() {
            std::mem::replace(&mut *spare, list)
        } else {
            list
        }
    };
    // Freed out of the lock.
    drop(smaller);
}

/// A place in [`Cells`] that may hold a value.
pub(super) struct Entry<'a> {
    cells: &'a mut Cells,
    k: Key,
}

impl<'a> Entry<'a> {
    /// The value there, made by `make` if there is none.
    pub(super) fn or_insert_with(self, make: impl FnOnce() -> Tracked) -> &'a mut Tracked {
        let Entry { cells, k } = self;
        let i = match cells.at.get(&k) {
            Some(&i) => i as usize,
            None => {
                cells.insert(k, make());
                cells.values.len() - 1
            }
        };
        cells.values[i]
            .as_mut()
            .expect("values are taken out only by take_in_order")
    }
}

impl std::ops::Index<&Key> for Cells {
    type Output = Tracked;

    /// The value under `k`.
    ///
    /// # Panics
    ///
    /// If there is none.
    fn index(&self, k: &Key) -> &Tracked {
        self.get(k).expect("a value under the key")
    }
}

#[cfg(test)]
mod tests {
    use super::{Cells, Tracked};
    use crate::model::Period;

    fn cell(e: usize, m: usize, p: Period, actual: f64) -> Tracked {
        let mut t = Tracked::empty(e, m, p);
        t.actual = Some(actual);
        t
    }

    #[test]
    fn values_are_found_by_key_replaced_in_place_and_taken_out_in_key_order() {
        let (y16, y17) = (Period::Year(2016), Period::Year(2017));
        let mut m0 = Cells::default();
        m0.insert((1, 0, y17), cell(1, 0, y17, 1.0));
        m0.insert((0, 0, y17), cell(0, 0, y17, 2.0));
        m0.insert((1, 0, y17), cell(1, 0, y17, 3.0));
        assert_eq!(m0.get(&(1, 0, y17)).and_then(|c| c.actual), Some(3.0));
        assert!(m0.get(&(1, 0, y16)).is_none());
        let made = m0
            .entry((1, 0, y16))
            .or_insert_with(|| cell(1, 0, y16, 4.0));
        made.target = Some(5.0);
        let kept = m0
            .entry((1, 0, y16))
            .or_insert_with(|| cell(1, 0, y16, 9.0));
        assert_eq!((kept.actual, kept.target), (Some(4.0), Some(5.0)));
        if let Some(c) = m0.get_mut(&(0, 0, y17)) {
            c.actual = Some(6.0);
        }
        assert_eq!(m0[&(0, 0, y17)].actual, Some(6.0));
        let mut m1 = Cells::default();
        m1.insert((0, 1, y16), cell(0, 1, y16, 7.0));
        m1.insert((2, 1, y16), cell(2, 1, y16, 8.0));
        assert_eq!(m1.keys().count(), 2);

        let all = Cells::take_in_order(vec![m0, m1]);
        let got: Vec<(usize, usize, Period, Option<f64>)> = all
            .iter()
            .map(|c| (c.entity, c.metric, c.period, c.actual))
            .collect();
        assert_eq!(
            got,
            [
                (0, 0, y17, Some(6.0)),
                (0, 1, y16, Some(7.0)),
                (1, 0, y16, Some(4.0)),
                (1, 0, y17, Some(3.0)),
                (2, 1, y16, Some(8.0)),
            ]
        );
    }
}
