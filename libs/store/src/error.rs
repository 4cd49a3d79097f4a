use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A conditional write found the item in another state than expected
    /// (already exists, changed meanwhile). The text says which.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    /// A caller-supplied value (named) that storage cannot use, e.g. a
    /// pagination cursor that does not belong to this listing.
    #[error("invalid {0}")]
    Invalid(String),
    /// The item does not decode into its record type: a schema drift.
    #[error("stored item is malformed: {0}")]
    Corrupt(String),
    #[error("AWS call failed: {0}")]
    Aws(String),
}

impl StoreError {
    pub fn aws<E: std::error::Error>(e: E) -> StoreError {
        // The SDK's Display is terse ("service error"); the source chain says why.
        let mut msg = e.to_string();
        let mut src = e.source();
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        StoreError::Aws(msg)
    }
}
