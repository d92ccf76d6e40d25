//! Records kept file by file.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

/// Records file by file (files in name order, records in file order), each
/// file's list shared with what `rekap serve` keeps for the next build
/// rather than copied. The load's figures ([`crate::load::Figures`]) and the
/// checked figure records ([`crate::validate::FigureRecords`]) are kept so.
#[derive(Debug)]
pub struct ByFile<T>(Vec<Arc<Vec<T>>>);

impl<T> Default for ByFile<T> {
    fn default() -> Self {
        ByFile(Vec::new())
    }
}

impl<T> Clone for ByFile<T> {
    /// Shares every file's list.
    fn clone(&self) -> Self {
        ByFile(self.0.clone())
    }
}

impl<T> ByFile<T> {
    /// The records of `files`, in order.
    pub fn from_files(files: Vec<Arc<Vec<T>>>) -> Self {
        ByFile(files)
    }

    /// Adds the records of one more file, after the others.
    pub fn push_file(&mut self, records: Arc<Vec<T>>) {
        self.0.push(records);
    }

    /// Each file's records, files in order.
    pub fn files(&self) -> &[Arc<Vec<T>>] {
        &self.0
    }

    /// Every record, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flat_map(|file| file.iter())
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.0.iter().map(|file| file.len()).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|file| file.is_empty())
    }

    /// The record at `i` in [`ByFile::iter`]'s order.
    pub fn get(&self, mut i: usize) -> Option<&T> {
        for file in &self.0 {
            if i < file.len() {
                return Some(&file[i]);
            }
            i -= file.len();
        }
        None
    }
}

impl<T: Clone + Send + Sync> ByFile<T> {
    /// Every record, in order: moved out of the files no one else holds,
    /// copied out of the others (file by file, in parallel: a large site
    /// has 100,000 figure records).
    pub fn into_vec(self) -> Vec<T> {
        let len = self.len();
        let files: Vec<Vec<T>> = self
            .0
            .into_par_iter()
            .map(|file| Arc::try_unwrap(file).unwrap_or_else(|shared| shared.to_vec()))
            .collect();
        let mut all = Vec::with_capacity(len);
        for records in files {
            all.extend(records);
        }
        all
    }
}

impl<T: Serialize> Serialize for ByFile<T> {
    /// One sequence of every record, in order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_in_file_order_as_one_list() {
        let shared = Arc::new(vec![1, 2]);
        let all = ByFile::from_files(vec![shared.clone(), Arc::new(vec![]), Arc::new(vec![3])]);
        assert_eq!(all.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(all.len(), 3);
        assert!(!all.is_empty());
        assert_eq!(
            (0..4).map(|i| all.get(i).copied()).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(3), None]
        );
        assert_eq!(serde_json::to_string(&all).unwrap(), "[1,2,3]");
        // A file someone else holds is copied out, the others moved.
        assert_eq!(all.into_vec(), [1, 2, 3]);
        assert_eq!(*shared, [1, 2]);
        let empty: ByFile<u8> = ByFile::from_files(vec![Arc::new(vec![])]);
        assert!(empty.is_empty());
    }
}
