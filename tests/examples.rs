//! The hand-written examples are themselves valid: each expected output passes its schema.

mod common;

#[test]
fn expected_outputs_validate_against_their_schemas() {
    let registry = maaza::schema::SchemaRegistry::load(&common::root().join("schemas")).unwrap();
    for ex in common::examples() {
        let schema = registry.get(&ex.schema_id).unwrap();
        let errors = schema.violations(&ex.expected);
        assert!(errors.is_empty(), "{}: {errors:?}", ex.id);
        let tier = registry
            .entries()
            .find(|(id, _)| *id == ex.schema_id)
            .unwrap()
            .1
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_owned();
        assert_eq!(tier.to_string_lossy(), ex.complexity, "{}", ex.id);
    }
}
