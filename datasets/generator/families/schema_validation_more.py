"""More families of ``schema_validation``: other validators of data, configuration and contracts.

Same decisions as ``schema_validation``: the check is the root cause also when it runs inside a
test step, at start-up or under a deploy tool (Helm checking ``values.schema.json``). A schema
*compatibility* check (buf breaking, a schema registry) is a schema check too. Style-only findings
are ``lint_format``; a missing environment variable or secret is ``workflow_config``."""

from __future__ import annotations

import random

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import _common_a as c
from datasets.generator.families import _common_a2 as c2

LABEL = "schema_validation"
_FIELDS = (
    "port",
    "replicas",
    "timeout",
    "email",
    "region",
    "retries",
    "base_url",
    "currency",
    "max_items",
)


def helm_values_schema(rng: random.Random, eco: str) -> Failure:
    """Helm refuses values that do not meet the chart's ``values.schema.json``."""
    chart = c.pick(rng, c.PROJECTS)
    problems = []
    for _ in range(rng.randint(1, 3)):
        field = f"{c.pick(rng, ('', 'image.', 'resources.limits.', 'ingress.', 'autoscaling.'))}{c.pick(rng, ('replicaCount', 'tag', 'enabled', 'port', 'host', 'minReplicas'))}"
        problems.append(
            c.pick(
                rng,
                (
                    f"- {field}: Invalid type. Expected: integer, given: string",
                    f"- {field}: Invalid type. Expected: boolean, given: string",
                    f"- (root): Additional property {c.camel(rng)} is not allowed",
                    f"- {field.rsplit('.', 1)[0] or '(root)'}: {field.rsplit('.', 1)[-1]} is required",
                    f"- at '/{field.replace('.', '/')}': got string, want integer",
                ),
            )
        )
    head = "Error: values don't meet the specifications of the schema(s) in the following chart(s):"
    if rng.random() < 0.5:
        lines = [
            f"==> Linting charts/{chart}",
            f"[ERROR] values.yaml: {head[7:]}",
            f"{chart}:",
            *problems,
            "",
            "Error: 1 chart(s) linted, 1 chart(s) failed",
        ]
        cmd = f"helm lint charts/{chart} --values values-ci.yaml"
    else:
        lines = [
            f'Release "{chart}" does not exist. Installing it now.'
            if rng.random() < 0.5
            else f"Upgrading {chart}",
            head,
            f"{chart}:",
            *problems,
        ]
        cmd = f"helm upgrade --install {chart} charts/{chart} -f deploy/values-{c.pick(rng, ('staging', 'prod'))}.yaml --dry-run"
    return Failure(
        LABEL, lines, c.pick(rng, ("Helm lint", "Deploy (dry run)")), cmd, 1, tags=("helm",)
    )


def zod_parse(rng: random.Random, eco: str) -> Failure:
    """zod's ``ZodError`` issue array when a config or fixture file is parsed at build time."""
    issues, wd = [], c.workdir(rng)
    for _ in range(rng.randint(1, 3)):
        field = c.pick(rng, _FIELDS)
        path = c.pick(
            rng, (f'"{field}"', f'"{c.pick(rng, c.WORDS)}s", {rng.randint(0, 9)}, "{field}"')
        )
        kind = c.pick(rng, ("type", "enum", "small"))
        if kind == "type":
            body = [
                '"code": "invalid_type"',
                '"expected": "number"',
                '"received": "string"',
                f'"path": [{path}]',
                '"message": "Expected number, received string"',
            ]
        elif kind == "enum":
            body = [
                '"received": "' + c.pick(rng, ("eu", "usa", "dev")) + '"',
                '"code": "invalid_enum_value"',
                '"options": ["eu-west-1", "us-east-1"]',
                f'"path": [{path}]',
                "\"message\": \"Invalid enum value. Expected 'eu-west-1' | 'us-east-1'\"",
            ]
        else:
            body = [
                '"code": "too_small"',
                '"minimum": 1',
                '"type": "number"',
                '"inclusive": true',
                '"exact": false',
                '"message": "Number must be greater than or equal to 1"',
                f'"path": [{path}]',
            ]
        issues.append(
            [
                "  {",
                *[f"    {b}," if i < len(body) - 1 else f"    {b}" for i, b in enumerate(body)],
                "  }",
            ]
        )
    lines = [
        f"{wd}/node_modules/zod/lib/types.js:{rng.randint(40, 200)}",
        "            const error = new ZodError(ctx.common.issues);",
        "                          ^",
        "",
        "ZodError: [",
    ]
    for i, issue in enumerate(issues):
        lines += [*issue[:-1], "  }," if i < len(issues) - 1 else "  }"]
    lines += [
        "]",
        f"    at get error [as error] ({wd}/node_modules/zod/lib/types.js:{rng.randint(40, 60)}:{rng.randint(10, 30)})",
        f"    at ZodObject.parse ({wd}/node_modules/zod/lib/types.js:{rng.randint(150, 200)}:{rng.randint(10, 30)})",
        f"    at file://{wd}/scripts/{c.pick(rng, ('build-content', 'load-config', 'seed'))}.mjs:{rng.randint(5, 90)}:{rng.randint(10, 40)}",
        "",
        f"Node.js v{rng.randint(18, 22)}.{rng.randint(0, 12)}.{rng.randint(0, 3)}",
    ]
    if c2.terse(rng):
        lines = [*lines[4 : 4 + len(issues[0]) + 1], "]"]
    cmd = c.pick(rng, ("npm run build:content", "node scripts/load-config.mjs", "pnpm prebuild"))
    return Failure(LABEL, lines, c.pick(rng, ("Build", "Validate content")), cmd)


def graphql_documents(rng: random.Random, eco: str) -> Failure:
    """GraphQL operations fail validation against the schema (graphql-codegen, Apollo CLI)."""
    errs = []
    for _ in range(rng.randint(1, 3)):
        nm = c.names(rng)
        errs.append(
            c.pick(
                rng,
                (
                    f'Cannot query field "{nm["cm"]}" on type "{nm["T"]}". Did you mean "{nm["cm"]}s"?',
                    f'Unknown type "{nm["T"]}Input". Did you mean "{nm["T"]}Filter"?',
                    f'Field "{nm["cm"]}" argument "id" of type "ID!" is required, but it was not provided.',
                    f'Variable "${nm["cm"]}" of type "String" used in position expecting type "Int!".',
                ),
            )
        )
    files = [f"src/graphql/{c.camel(rng)}.graphql" for _ in errs]
    if rng.random() < 0.6:
        lines = [
            "✔ Parse Configuration",
            "⚠ Generate outputs",
            "  ❯ Generate to src/gql/",
            "    ✔ Load GraphQL schemas",
            "    ✔ Load GraphQL documents",
            "    ✖",
            f"      GraphQL Document Validation failed with {len(errs)} error{'s' if len(errs) > 1 else ''};",
        ]
        for i, (e, f) in enumerate(zip(errs, files, strict=True)):
            lines += [
                f"        Error {i}: {e}",
                f"          at {c.workdir(rng)}/{f}:{rng.randint(2, 90)}:{rng.randint(3, 20)}",
            ]
        cmd = c.pick(rng, ("npx graphql-codegen --config codegen.ts", "npm run codegen"))
    else:
        lines = [f"{f}: {e}" for e, f in zip(errs, files, strict=True)]
        lines += [
            "Error: Validation of GraphQL query document failed",
            f"✖ {len(errs)} validation error{'s' if len(errs) > 1 else ''}",
        ]
        cmd = "npx apollo client:check"
    return Failure(LABEL, lines, c.pick(rng, ("Generate GraphQL types", "Check operations")), cmd)


def schema_compatibility(rng: random.Random, eco: str) -> Failure:
    """A contract change is refused: ``buf breaking`` or a schema registry's compatibility check."""
    nm = c.names(rng)
    if rng.random() < 0.5:
        path = f"proto/acme/{nm['mod']}/v1/{nm['mod']}.proto"
        msgs = [
            f'Field "{rng.randint(1, 20)}" with name "{nm["f"]}" on message "{nm["T"]}" changed type from "int64" to "string".',
            f'Previously present field "{rng.randint(1, 20)}" with name "{nm["v"]}" on message "{nm["T"]}" was deleted.',
            f'Previously present RPC "{nm["U"]}" on service "{nm["T"]}Service" was deleted.',
            f'Field "{rng.randint(1, 20)}" on message "{nm["T"]}" changed name from "{nm["f"]}" to "{nm["v"]}".',
        ]
        lines = [
            f"{path}:{rng.randint(3, 200)}:{rng.randint(1, 20)}:{m}"
            for m in rng.sample(msgs, rng.randint(1, 3))
        ]
        cmd = c.pick(
            rng,
            (
                "buf breaking --against '.git#branch=main'",
                "buf breaking --against buf.build/acme/apis",
            ),
        )
    else:
        subject = f"{c.pick(rng, c.WORDS)}s-value"
        lines = [
            f"[INFO] --- kafka-schema-registry:{c.version(rng, 7)}:test-compatibility (default-cli) @ {c.pick(rng, c.PROJECTS)} ---",
            f"[ERROR] Schema {c.workdir(rng)}/src/main/avro/{nm['T']}.avsc is not compatible with subject({subject})",
            f'[ERROR] Incompatibility{{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:/fields/{rng.randint(0, 12)}, message:{nm["f"]}, reader:{{"type":"record","name":"{nm["T"]}",...}}}}'
            if rng.random() < 0.5
            else f"[ERROR] Incompatibility{{type:TYPE_MISMATCH, location:/fields/{rng.randint(0, 12)}/type, message:reader type: STRING not compatible with writer type: LONG}}",
            "[ERROR] One or more schemas found to be incompatible with the current version.",
            "[INFO] BUILD FAILURE",
        ]
        cmd = "mvn -B io.confluent:kafka-schema-registry-maven-plugin:test-compatibility"
    return Failure(
        LABEL, lines, c.pick(rng, ("Check schema compatibility", "Breaking change check")), cmd
    )


def prisma_schema(rng: random.Random, eco: str) -> Failure:
    """Prisma's schema validator (``prisma validate`` / ``generate``) with its error count."""
    nm = c.names(rng)
    model, other = c.pascal(rng, 1), c.pascal(rng, 1)
    errs = c.pick(
        rng,
        (
            [
                f"error: Error validating field `{nm['f']}` in model `{model}`: The relation field `{nm['f']}` on model `{model}` is missing an opposite relation field on the model `{other}`. Either run `prisma format` or add it manually."
            ],
            [
                f'error: Type "{other}Status" is neither a built-in type, nor refers to another model, composite type, or enum.'
            ],
            [
                f'error: Error validating model "{model}": Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model.'
            ],
            [
                f'error: Error parsing attribute "@default": The function `{nm["cm"]}` is not a known function. You can read about the available functions here: https://pris.ly/d/attribute-functions'
            ],
        ),
    )
    line = rng.randint(5, 200)
    lines = [
        "Environment variables loaded from .env",
        "Prisma schema loaded from prisma/schema.prisma",
        "Error: Prisma schema validation - (get-dmmf wasm)",
        "Error code: P1012",
        *errs,
        "  -->  prisma/schema.prisma:" + str(line),
        "   | ",
        f"{line - 1:>2} |   id        Int      @id @default(autoincrement())",
        f"{line:>2} |   {nm['f']}  {other}",
        "   | ",
        "",
        "Validation Error Count: 1",
        "[Context: getDmmf]",
        "",
        f"Prisma CLI Version : 5.{rng.randint(5, 22)}.{rng.randint(0, 3)}",
    ]
    cmd = c.pick(rng, ("npx prisma generate", "npx prisma validate", "npm run db:generate"))
    return Failure(LABEL, lines, c.pick(rng, ("Generate Prisma client", "Validate schema")), cmd)


def xml_xsd(rng: random.Random, eco: str) -> Failure:
    """XML checked against an XSD: libxml2's ``xmllint --schema`` or Xerces' ``cvc-*`` messages."""
    doc = f"{c.pick(rng, ('config', 'conf', 'src/main/resources'))}/{c.pick(rng, c.WORDS)}.xml"
    el = c.camel(rng)
    if eco != "java" or rng.random() < 0.3:
        lines = [
            f"{doc}:{rng.randint(2, 200)}: element {el}: Schemas validity error : "
            + c.pick(
                rng,
                (
                    f"Element '{el}': '{c.pick(rng, ('abc', 'ten', '1.5'))}' is not a valid value of the atomic type 'xs:integer'.",
                    f"Element '{el}': This element is not expected. Expected is ( {c.camel(rng)} ).",
                    f"Element '{el}': The attribute 'id' is required but missing.",
                ),
            )
            for _ in range(rng.randint(1, 3))
        ]
        lines.append(f"{doc} fails to validate")
        cmd = f"xmllint --noout --schema schema/{c.pick(rng, c.WORDS)}.xsd {doc}"
        return Failure(LABEL, lines, "Validate XML", cmd, 3)
    line, col = rng.randint(2, 200), rng.randint(3, 60)
    msg = c.pick(
        rng,
        (
            f"cvc-complex-type.2.4.a: Invalid content was found starting with element '{el}'. One of '{{\"urn:acme:{c.pick(rng, c.WORDS)}\":{c.camel(rng)}}}' is expected.",
            f"cvc-datatype-valid.1.2.1: '{c.pick(rng, ('abc', 'yes'))}' is not a valid value for 'integer'.",
            f"cvc-complex-type.4: Attribute 'version' must appear on element '{el}'.",
        ),
    )
    lines = [
        f"[ERROR] Failed to execute goal org.codehaus.mojo:xml-maven-plugin:1.1.0:validate (validate-config) on project {c.pick(rng, c.PROJECTS)}: While parsing {c.workdir(rng)}/{doc}, at line {line}, column {col}: {msg} -> [Help 1]",
        "[ERROR] ",
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    ]
    if rng.random() < 0.6:
        lines = [
            f"[INFO] --- xml:1.1.0:validate (validate-config) @ {c.pick(rng, c.PROJECTS)} ---",
            f"[ERROR] {c.workdir(rng)}/{doc}:{line}:{col}: {msg}",
            *lines,
        ]
    return Failure(LABEL, lines, "Build with Maven", "mvn -B verify")


def dbt_schema_tests(rng: random.Random, eco: str) -> Failure:
    """dbt's data tests declared in ``schema.yml`` (not_null, unique, accepted_values) fail."""
    model = f"{c.pick(rng, ('stg', 'fct', 'dim'))}_{c.pick(rng, c.WORDS)}s"
    n, total = rng.randint(1, 3), rng.randint(10, 300)
    lines = [
        f"Running with dbt=1.{rng.randint(5, 8)}.{rng.randint(0, 9)}",
        f"Found {rng.randint(10, 200)} models, {total} data tests, {rng.randint(1, 20)} sources",
        "",
    ]
    fails = []
    for i in range(n):
        col = c.pick(rng, ("id", "customer_id", "status", "currency", "created_at"))
        test = c.pick(
            rng,
            (
                f"not_null_{model}_{col}",
                f"unique_{model}_{col}",
                f"accepted_values_{model}_{col}__{'__'.join(rng.sample(('open', 'paid', 'void', 'refunded'), 2))}",
                f"relationships_{model}_{col}__id__ref_dim_{c.pick(rng, c.WORDS)}s_",
            ),
        )
        k = rng.randint(1, 900)
        lines.append(
            f"{i + 1} of {total} FAIL {k} {test} {'.' * 20} [FAIL {k} in {c.seconds(rng, 0.1, 9)}s]"
        )
        fails += [
            "",
            f"Failure in test {test} (models/{c.pick(rng, ('staging', 'marts'))}/schema.yml)",
            f"  Got {k} result{'s' if k > 1 else ''}, configured to fail if != 0",
            "",
            f"  compiled code at target/compiled/{c.pick(rng, c.PROJECTS)}/models/schema.yml/{test[:40]}.sql",
        ]
    lines += [
        "",
        f"Finished running {total} data tests in 0 hours 0 minutes and {c.seconds(rng, 1, 59)} seconds ({c.seconds(rng, 1, 59)}s).",
        "",
        "Completed with "
        + f"{n} error{'s' if n > 1 else ''}, 0 partial successes, and 0 warnings:",
        *fails,
        "",
        f"Done. PASS={total - n} WARN=0 ERROR={n} SKIP=0 TOTAL={total}",
    ]
    cmd = c.pick(rng, ("dbt test --target ci", "dbt build --select state:modified+"))
    return Failure(LABEL, lines, c.pick(rng, ("dbt test", "Data tests")), cmd)


def python_validators(rng: random.Random, eco: str) -> Failure:
    """marshmallow, voluptuous and cerberus reject a loaded record or config (not pydantic)."""
    f1, f2 = rng.sample(_FIELDS, 2)
    wd = c.workdir(rng)
    tool = c.pick(rng, ("marshmallow", "voluptuous", "cerberus"))
    if tool == "marshmallow":
        last = f"marshmallow.exceptions.ValidationError: {{'{f1}': ['Not a valid integer.'], '{f2}': ['Missing data for required field.']}}"
        frame = "    return self._do_load("
    elif tool == "voluptuous":
        last = c.pick(
            rng,
            (
                f"voluptuous.error.MultipleInvalid: expected int for dictionary value @ data['{f1}']",
                f"voluptuous.error.MultipleInvalid: required key not provided @ data['{f2}']",
                f"voluptuous.error.MultipleInvalid: extra keys not allowed @ data['{c.ident(rng, 1)}']",
            ),
        )
        frame = "    raise er.MultipleInvalid(errors)"
    else:
        last = f"{c.pick(rng, c.PROJECTS).replace('-', '_')}.config.ConfigError: invalid config: {{'{f1}': ['must be of integer type'], '{f2}': ['required field']}}"
        frame = '    raise ConfigError(f"invalid config: {validator.errors}")'
    script = f"scripts/{c.pick(rng, ('check_fixtures', 'load_config', 'import_seed'))}.py"
    lines = [
        "Traceback (most recent call last):",
        f'  File "{wd}/{script}", line {rng.randint(5, 90)}, in <module>',
        "    main()",
        f'  File "{wd}/{script}", line {rng.randint(5, 90)}, in main',
        f"    {c.pick(rng, ('schema.load(raw)', 'SCHEMA(data)', 'validate(doc)'))}",
        f'  File "/opt/hostedtoolcache/Python/3.12.3/x64/lib/python3.12/site-packages/{tool}/{c.pick(rng, ("schema", "validators", "__init__"))}.py", line {rng.randint(100, 900)}, in {c.pick(rng, ("load", "__call__", "validate"))}',
        frame,
        last,
    ]
    if c2.terse(rng):
        lines = [
            f"Validating {c.pick(rng, ('fixtures/', 'config/'))}{c.pick(rng, c.WORDS)}.yaml",
            last,
        ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Validate fixtures", "Check config")),
        f"python {script}",
        tags=(tool,),
    )


def go_struct_validator(rng: random.Random, eco: str) -> Failure:
    """go-playground/validator's ``Key: ... Error:Field validation for ... failed on the ... tag``."""
    typ = c.pascal(rng, 1) + c.pick(rng, ("Config", "Request", "Settings"))
    errs = []
    for _ in range(rng.randint(1, 3)):
        field = c.pascal(rng, 1)
        tag = c.pick(rng, ("required", "min", "max", "oneof", "url", "email", "gte"))
        errs.append(
            f"Key: '{typ}.{field}' Error:Field validation for '{field}' failed on the '{tag}' tag"
        )
    if rng.random() < 0.5:
        lines = [f"Error: invalid configuration: {errs[0]}", *errs[1:]]
        lines += ["Usage:", f"  {c.pick(rng, c.PROJECTS)} validate [flags]"]
        cmd = f"go run ./cmd/{c.pick(rng, c.PROJECTS)} validate --config config/ci.yaml"
    else:
        test = f"TestLoad{typ}"
        lines = [
            f"=== RUN   {test}",
            f"    config_test.go:{rng.randint(10, 200)}: load: {errs[0]}",
            *[f"        {e}" for e in errs[1:]],
            f"--- FAIL: {test} ({c.seconds(rng, 0, 1)}s)",
            "FAIL",
            f"FAIL\tgithub.com/acme/{c.pick(rng, c.PROJECTS)}/internal/config\t{c.seconds(rng, 0.01, 2)}s".replace(
                "\t", "    "
            ),
        ]
        cmd = "go test ./internal/config/..."
    return c.finish(
        rng, eco, LABEL, lines, c.pick(rng, ("Validate config", "Test config")), cmd, stack="go"
    )


def typed_config_deserialize(rng: random.Random, eco: str) -> Failure:
    """A typed loader refuses a file: serde (Rust), System.Text.Json (.NET) or Jackson (Java)."""
    field = c.pick(rng, _FIELDS)
    path = f"config/{c.pick(rng, ('app', 'ci', 'settings', 'service'))}.{c.pick(rng, ('toml', 'json', 'yaml'))}"
    line, col = rng.randint(2, 80), rng.randint(3, 30)
    if eco == "rust":
        msg = c.pick(
            rng,
            (
                f'invalid type: string "{rng.randint(1, 9000)}", expected u16',
                f"missing field `{field}`",
                f"unknown field `{field}s`, expected one of `{field}`, `name`, `enabled`",
                f"unknown variant `{c.pick(rng, ('Debug', 'verbose'))}`, expected one of `debug`, `info`, `warn`, `error`",
            ),
        )
        lines = [
            f"Error: failed to load {path}",
            "",
            "Caused by:",
            f"    {msg} at line {line} column {col}",
        ]
        if path.endswith("toml"):
            lines = [
                f"Error: TOML parse error at line {line}, column {col}",
                "  |",
                f'{line} | {field} = "{rng.randint(1, 9000)}"',
                "  |" + " " * (len(field) + 4) + "^" * 6,
                msg,
            ]
        cmd = f"cargo run --bin {c.pick(rng, c.PROJECTS)} -- --check-config {path}"
        code = 1
    elif eco == "dotnet":
        typ = c.pick(rng, ("System.Int32", "System.Boolean", "System.TimeSpan", "System.Uri"))
        lines = [
            f"Unhandled exception. System.Text.Json.JsonException: The JSON value could not be converted to {typ}. Path: $.{c.camel(rng)}.{field} | LineNumber: {line} | BytePositionInLine: {col}.",
            " ---> System.InvalidOperationException: Cannot get the value of a token type 'String' as a number.",
            "   at System.Text.Json.ThrowHelper.ThrowInvalidOperationException_ExpectedNumber(JsonTokenType tokenType)",
            "   --- End of inner exception stack trace ---",
            f"   at Acme.{c.pascal(rng, 1)}.SettingsLoader.Load(String path) in {c.workdir(rng)}/src/Acme.Tools/SettingsLoader.cs:line {rng.randint(10, 90)}",
        ]
        cmd, code = "dotnet run --project src/Acme.Tools -- validate-settings", 134
    else:
        cls = f"com.acme.config.{c.pascal(rng)}"
        lines = c.pick(
            rng,
            (
                [
                    f'com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException: Unrecognized field "{field}s" (class {cls}), not marked as ignorable ({rng.randint(3, 9)} known properties: "{field}", "name", "enabled"])',
                    f' at [Source: (File); line: {line}, column: {col}] (through reference chain: {cls}["{field}s"])',
                ],
                [
                    f'com.fasterxml.jackson.databind.exc.InvalidFormatException: Cannot deserialize value of type `int` from String "{c.pick(rng, ("ten", "8080/tcp", "auto"))}": not a valid `int` value',
                    f' at [Source: (File); line: {line}, column: {col}] (through reference chain: {cls}["{field}"])',
                ],
                [
                    f"com.fasterxml.jackson.databind.exc.MismatchedInputException: Missing required creator property '{field}' (index {rng.randint(0, 5)})",
                    f' at [Source: (File); line: {line}, column: {col}] (through reference chain: {cls}["{field}"])',
                ],
            ),
        )
        lines = [
            f'Exception in thread "main" {lines[0]}',
            lines[1],
            f"\tat com.fasterxml.jackson.databind.DeserializationContext.reportInputMismatch(DeserializationContext.java:{rng.randint(1700, 1800)})".replace(
                "\t", "    "
            ),
            f"    at com.acme.tools.ConfigCheck.main(ConfigCheck.java:{rng.randint(10, 90)})",
        ]
        cmd, code = f"java -cp target/classes com.acme.tools.ConfigCheck {path}", 1
    return Failure(LABEL, lines, c.pick(rng, ("Validate configuration", "Check config")), cmd, code)


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("helm-values-schema", ECOSYSTEMS, helm_values_schema),
    _family("zod-parse", ("node",), zod_parse),
    _family("graphql-documents", ("node",), graphql_documents),
    _family("schema-compatibility", ("java", "go", "python"), schema_compatibility),
    _family("prisma-schema", ("node",), prisma_schema),
    _family("xml-xsd", ("java", "python", "cpp", "dotnet"), xml_xsd),
    _family("dbt-schema-tests", ("python",), dbt_schema_tests),
    _family("python-validators", ("python",), python_validators),
    _family("go-struct-validator", ("go", "docker"), go_struct_validator),
    _family("typed-config-deserialize", ("rust", "dotnet", "java"), typed_config_deserialize),
]
