//! OpenAPI 3.2 constructs that need no fixture crate of their own (the rest are in
//! tests/fixtures/v32-features.yaml and tests/compile-fixtures/tests/v32.rs).

use ferrospec_codegen::Config;

/// 3.2's OAuth 2 device authorization flow (`deviceAuthorization`) is an OAuth 2 scheme like
/// the others: the caller obtains the access token, and the client sends it as a bearer token
/// from the scheme's own builder method. Nothing is refused or skipped.
#[test]
fn the_device_authorization_flow_is_a_bearer_token_the_caller_obtains() {
    let spec = r#"
openapi: 3.2.0
info: {title: Device, version: "1"}
paths:
  /me:
    get:
      operationId: getMe
      security: [{device: [read]}]
      responses:
        "200":
          description: Me.
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
components:
  securitySchemes:
    device:
      type: oauth2
      description: Sign in on another device.
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://example.com/device
          tokenUrl: https://example.com/token
          scopes: {read: Read things.}
"#;
    let generated = Config::new()
        .generate_bytes("device.yaml", spec.as_bytes().to_vec())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.items.is_empty(), "{:?}", generated.warnings);
    let code = generated.code;
    assert!(code.contains("pub fn device(mut self, value: impl Into<String>) -> Self {"), "{code}");
    assert!(code.contains("internal::AuthScheme::bearer(\"device\", \"device\")"), "{code}");
    assert!(code.contains("pub fn get_me(&self) -> builders::GetMe {"), "{code}");
}
