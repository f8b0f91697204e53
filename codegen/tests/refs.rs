//! References into other schemas are followed wherever a component reference is: every step
//! of lowering resolves `$ref`s through one resolver (lower/schema/refs.rs).

use ferrospec_codegen::ir::TypeKind;
use ferrospec_codegen::Config;

const DOC: &str = r##"
openapi: 3.0.3
info: {title: Deep refs, version: "1"}
paths:
  /shape:
    get:
      operationId: getShape
      responses:
        "200":
          description: A shape.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Shape"}
components:
  schemas:
    Kinds:
      type: object
      properties:
        circle: {type: string, enum: [circle]}
        square: {type: string, enum: [square]}
    Shape:
      oneOf:
        - $ref: "#/components/schemas/Circle"
        - $ref: "#/components/schemas/Square"
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {$ref: "#/components/schemas/Kinds/properties/circle"}
        radius: {type: number}
    Square:
      type: object
      required: [kind, side]
      properties:
        kind: {$ref: "#/components/schemas/Kinds/properties/square"}
        side: {type: number}
"##;

/// A member's tag given by a reference into another schema's properties is still its one
/// value, so the union is told apart by it (it was untagged while only component references
/// were followed there).
#[test]
fn a_tag_behind_a_reference_into_another_schema_tags_the_union() {
    let loaded = Config::new().load_bytes("deep.yaml", DOC.as_bytes().to_vec()).unwrap();
    let shape = loaded.api().types.iter().find(|t| t.name == "Shape").unwrap();
    match &shape.kind {
        TypeKind::Tagged { tag, variants, .. } => {
            assert_eq!(tag, "kind");
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            assert_eq!(values, ["circle", "square"]);
        }
        other => panic!("Shape is {other:?}"),
    }
}
