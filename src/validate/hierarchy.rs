//! The entity hierarchy, resolved: every entity's parent, children and depth.

use serde::Serialize;

use super::EntityIdx;

/// Who is above and below each entity (indices into the site's entities).
///
/// Built once by validate, from parents that are known to form a forest (no
/// cycles, no unknown parents); read by compute (entities deepest first, so
/// children are complete before their parent) and by render (breadcrumbs,
/// trees, rankings of children).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Hierarchy {
    parents: Vec<Option<EntityIdx>>,
    children: Vec<Vec<EntityIdx>>,
    depth: Vec<usize>,
}

impl Hierarchy {
    /// The hierarchy of entities whose parents are `parents` (each `None` for
    /// a top entity). Children keep the entities' order.
    ///
    /// # Panics
    ///
    /// If a parent index is out of range or the parents form a cycle (validate
    /// rejects both before building a hierarchy).
    pub fn new(parents: Vec<Option<EntityIdx>>) -> Hierarchy {
        let n = parents.len();
        let mut children = vec![Vec::new(); n];
        for (e, p) in parents.iter().enumerate() {
            if let Some(p) = *p {
                children[p].push(e);
            }
        }
        let depth = (0..n)
            .map(|e| {
                let mut d = 0;
                let mut cur = parents[e];
                while let Some(p) = cur {
                    d += 1;
                    assert!(d <= n, "the parents form a cycle");
                    cur = parents[p];
                }
                d
            })
            .collect();
        Hierarchy {
            parents,
            children,
            depth,
        }
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// Whether there is no entity.
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The parent of `e`, if it has one.
    pub fn parent(&self, e: EntityIdx) -> Option<EntityIdx> {
        self.parents[e]
    }

    /// The children of `e`, in file order.
    pub fn children(&self, e: EntityIdx) -> &[EntityIdx] {
        &self.children[e]
    }

    /// How far below the top `e` is (a top entity is at 0).
    pub fn depth(&self, e: EntityIdx) -> usize {
        self.depth[e]
    }

    /// The ancestors of `e`, from the top down (not `e` itself).
    pub fn ancestors(&self, e: EntityIdx) -> Vec<EntityIdx> {
        let mut out = Vec::new();
        let mut cur = self.parents[e];
        while let Some(p) = cur {
            out.push(p);
            cur = self.parents[p];
        }
        out.reverse();
        out
    }

    /// Every entity, deepest first (ties in file order): children before parents.
    pub fn deepest_first(&self) -> Vec<EntityIdx> {
        let mut order: Vec<EntityIdx> = (0..self.len()).collect();
        order.sort_by_key(|&e| std::cmp::Reverse(self.depth[e]));
        order
    }

    /// Every entity in tree order (each top entity, then its descendants
    /// depth first), with its depth.
    pub fn tree(&self) -> Vec<(EntityIdx, usize)> {
        fn walk(h: &Hierarchy, e: EntityIdx, out: &mut Vec<(EntityIdx, usize)>) {
            out.push((e, h.depth[e]));
            for &k in &h.children[e] {
                walk(h, k, out);
            }
        }
        let mut out = Vec::with_capacity(self.len());
        for e in (0..self.len()).filter(|&e| self.parents[e].is_none()) {
            walk(self, e, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// region(0) > {province(1) > office(3), province(2)}
    fn example() -> Hierarchy {
        Hierarchy::new(vec![None, Some(0), Some(0), Some(1)])
    }

    #[test]
    fn children_depth_and_ancestors_follow_the_parents() {
        let h = example();
        assert_eq!(h.children(0), &[1, 2]);
        assert_eq!(h.children(1), &[3]);
        assert_eq!((h.depth(0), h.depth(1), h.depth(3)), (0, 1, 2));
        assert_eq!(h.ancestors(3), vec![0, 1]);
        assert_eq!(h.parent(0), None);
    }

    #[test]
    fn deepest_first_puts_children_before_parents() {
        assert_eq!(example().deepest_first(), vec![3, 1, 2, 0]);
    }

    #[test]
    fn tree_order_is_depth_first_in_file_order() {
        assert_eq!(example().tree(), vec![(0, 0), (1, 1), (3, 2), (2, 1)]);
    }
}
