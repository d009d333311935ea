//! Roster import/export.
