//! Diagnostics: every problem found in a document, each with the JSON pointer of the place it is
//! about, reported together rather than one at a time.

use std::fmt;

/// How bad a finding is: errors stop generation, warnings are reported and skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer into the document (RFC 6901), `""` for the whole document.
    pub pointer: String,
    /// Line and column (1-based) when the loader could tell.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(pointer, message) }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.location = Some((line, column));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let pointer = if self.pointer.is_empty() { "#" } else { &self.pointer };
        write!(f, "{kind}: {pointer}")?;
        if let Some((line, column)) = self.location {
            write!(f, " (line {line}, column {column})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A set of findings, sorted so the report is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
    }

    pub fn sort(&mut self) {
        self.items.sort();
        self.items.dedup();
    }
}

/// Why generation failed: the source file and every error (and warning) found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateError {
    pub source_name: String,
    pub diagnostics: Diagnostics,
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.errors().count();
        writeln!(
            f,
            "{}: {n} error{} in the OpenAPI document",
            self.source_name,
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics.items {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

impl GenerateError {
    /// A failure with one finding (a file that can't be read or written, say).
    pub fn single(source_name: impl Into<String>, diagnostic: Diagnostic) -> Self {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(diagnostic);
        GenerateError { source_name: source_name.into(), diagnostics }
    }
}

impl std::error::Error for GenerateError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_place_and_problem() {
        let d = Diagnostic::error("#/components/schemas/A", "unresolved $ref").at(3, 7);
        assert_eq!(d.to_string(), "error: #/components/schemas/A (line 3, column 7): unresolved $ref");
    }
}
