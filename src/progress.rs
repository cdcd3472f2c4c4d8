//! Progress of the long phases of clustering, for a progress bar: the lowest floor, so that
//! every stage can report without knowing who listens.

/// Receives progress of the long phases of clustering (for a progress bar). Called from
/// worker threads; every method has a do-nothing default.
pub trait Progress: Sync {
    /// A phase starts, with `total` units of work.
    fn phase(&self, _name: &'static str, _total: u64) {}
    /// `n` more units of the current phase are done.
    fn advance(&self, _n: u64) {}
    /// The current phase is over.
    fn done(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
