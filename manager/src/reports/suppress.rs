//! k-anonymity: counts below k are published as "< k", and when exactly one
//! cell of a breakdown is hidden, the smallest other non-zero cell is hidden
//! too, so the hidden one cannot be recomputed from the published total.

use plaza_api::reports::Cell;

/// Shown for a cell hidden to protect another (complementary suppression).
pub const HIDDEN: &str = "hidden";

/// The published form of `counts`, which add up to a published total.
pub fn suppress(counts: &[u64], k: u32) -> Vec<Cell> {
    suppress_marked(counts, &vec![false; counts.len()], k)
}

/// As [`suppress`], also hiding the cells `marked` (small in some week of
/// the range: see `reports::weeks`).
pub fn suppress_marked(counts: &[u64], marked: &[bool], k: u32) -> Vec<Cell> {
    let k = u64::from(k);
    let mut hidden: Vec<bool> = counts
        .iter()
        .zip(marked.iter().chain(std::iter::repeat(&false)))
        .map(|(&count, &marked)| count > 0 && (count < k || marked))
        .collect();
    let hidden_count = hidden.iter().filter(|hidden| **hidden).count();
    if hidden_count == 1 {
        let smallest_other = counts
            .iter()
            .enumerate()
            .filter(|(index, count)| !hidden[*index] && **count > 0)
            .min_by_key(|(_, count)| **count)
            .map(|(index, _)| index);
        if let Some(index) = smallest_other {
            hidden[index] = true;
        }
    }
    counts
        .iter()
        .zip(hidden)
        .map(|(&count, hidden)| match (hidden, count < k) {
            (false, _) => Cell::Count(count),
            (true, true) => suppressed(k),
            // Hidden only to protect a small cell: "< k" would be untrue.
            (true, false) => Cell::Suppressed(HIDDEN.to_owned()),
        })
        .collect()
}

/// One count on its own (no complementary cells to protect).
pub fn single(count: u64, k: u32) -> Cell {
    single_marked(count, false, k)
}

/// As [`single`], also hiding the count when `marked` (small in some week).
pub fn single_marked(count: u64, marked: bool, k: u32) -> Cell {
    if count > 0 && count < u64::from(k) {
        suppressed(u64::from(k))
    } else if count > 0 && marked {
        Cell::Suppressed(HIDDEN.to_owned())
    } else {
        Cell::Count(count)
    }
}

fn suppressed(k: u64) -> Cell {
    Cell::Suppressed(format!("< {k}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(cells: &[Cell]) -> Vec<Option<u64>> {
        cells
            .iter()
            .map(|cell| match cell {
                Cell::Count(count) => Some(*count),
                Cell::Suppressed(_) => None,
            })
            .collect()
    }

    #[test]
    fn small_groups_are_hidden_and_cannot_be_recomputed_from_the_total() {
        let cells = suppress(&[40, 3, 12, 0, 9], 5);
        assert_eq!(shown(&cells), [Some(40), None, Some(12), Some(0), None]);
        assert_eq!(cells[1], Cell::Suppressed("< 5".to_owned()));
        // The smallest other cell is at least k: hidden, not "< 5".
        assert_eq!(cells[4], Cell::Suppressed(HIDDEN.to_owned()));
        // Two or more hidden cells protect each other.
        assert_eq!(
            shown(&suppress(&[40, 3, 2, 12], 5)),
            [Some(40), None, None, Some(12)]
        );
        // Nothing small: nothing hidden; zeros reveal nobody.
        assert_eq!(shown(&suppress(&[5, 0, 7], 5)), [Some(5), Some(0), Some(7)]);
        assert_eq!(single(4, 5), Cell::Suppressed("< 5".to_owned()));
        assert_eq!(single(0, 5), Cell::Count(0));
    }
}
