"""Families of ``schema_validation``: data, configuration, manifests or API descriptions fail a
schema or validation check.

The check is the root cause even when it runs inside a test step or at application start-up
(pydantic settings, Spring ``@ConfigurationProperties``, .NET options validation). Style-only YAML
problems (``yamllint``) are ``lint_format``."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c

LABEL = "schema_validation"
_DATA_FILES = (
    "data/{w}s.json",
    "fixtures/{w}.json",
    "config/{w}.yaml",
    "datasets/{w}/meta.json",
    "schemas/examples/{w}.json",
    "catalog/{w}.yml",
)


def _data_file(rng: random.Random) -> str:
    return c.pick(rng, _DATA_FILES).format(w=c.pick(rng, c.WORDS))


def _violation(rng: random.Random) -> tuple[str, str, str]:
    """(message, failing keyword, JSON path) in the style of the Python jsonschema package."""
    nm = c.names(rng)
    return c.pick(
        rng,
        (
            (f"'{nm['f']}' is a required property", "required", f"['items'][{nm['n']}]"),
            (f"'{nm['n']}' is not of type 'integer'", "type", f"['{nm['w']}']['{nm['f']}']"),
            (f"'{nm['w']}-v2' is not one of ['draft', 'active', 'archived']", "enum", "['status']"),
            (
                f"Additional properties are not allowed ('{nm['v']}' was unexpected)",
                "additionalProperties",
                f"['{nm['w']}']",
            ),
            (f"-{nm['n']} is less than the minimum of 0", "minimum", f"['limits']['{nm['f']}']"),
            ("{} is not valid under any of the given schemas", "anyOf", f"['{nm['w']}s'][0]"),
            (f"'{nm['w']} {nm['f']}' does not match '^[a-z0-9-]+$'", "pattern", "['slug']"),
        ),
    )


def python_jsonschema(rng: random.Random, eco: str) -> Failure:
    msg, kw, where = _violation(rng)
    wd, script = (
        c.workdir(rng),
        f"scripts/validate_{c.pick(rng, ('data', 'fixtures', 'config'))}.py",
    )
    files = [_data_file(rng) for _ in range(rng.randint(1, 8))]
    lines = [f"Validating {f} ... ok" for f in files[:-1]] + [f"Validating {files[-1]} ..."]
    lines += [
        "Traceback (most recent call last):",
        f'  File "{wd}/{script}", line {rng.randint(20, 90)}, in <module>',
        "    main()",
        f'  File "{wd}/{script}", line {rng.randint(5, 19)}, in main',
        "    jsonschema.validate(instance=doc, schema=schema)",
        f'  File "{wd}/.venv/lib/python3.12/site-packages/jsonschema/validators.py", line 1332, in validate',
        "    raise error",
        f"jsonschema.exceptions.ValidationError: {msg}",
        "",
        f"Failed validating '{kw}' in schema['properties']['{c.pick(rng, c.WORDS)}']:",
        "    {'type': 'object',",
        f"     '{kw}': ...}}",
        "",
        f"On instance{where}:",
        f"    {{'id': {rng.randint(1, 999)}, '{c.pick(rng, c.WORDS)}': '{c.pick(rng, c.WORDS)}'}}",
    ]
    step = c.pick(rng, ("Validate data", "Validate fixtures", "Check schemas"))
    return Failure(LABEL, lines, step, f"python {script}")


def check_jsonschema(rng: random.Random, eco: str) -> Failure:
    files = [_data_file(rng) for _ in range(rng.randint(2, 5))]
    schema = c.pick(
        rng,
        (
            "schemas/config.schema.json",
            "https://json.schemastore.org/renovate.json",
            "schemas/dataset.schema.json",
        ),
    )
    lines = ["Schema validation errors were encountered."]
    for f in files:
        for _ in range(rng.randint(1, 3)):
            msg, _, where = _violation(rng)
            path = "$" + where.replace("['", ".").replace("']", "").replace("[", "[")
            lines.append(f"  {f}::{path}: {msg}")
    cmd = f"check-jsonschema --schemafile {schema} {' '.join(files)}"
    return Failure(LABEL, lines, c.pick(rng, ("Validate config", "check-jsonschema")), cmd)


def pydantic_config(rng: random.Random, eco: str) -> Failure:
    """A pydantic v2 model rejects a loaded configuration or data file."""
    model = c.pick(
        rng, ("PipelineConfig", "Settings", "DatasetManifest", "ServiceConfig", "JobSpec")
    )
    errs = []
    for _ in range(rng.randint(1, 4)):
        nm = c.names(rng)
        errs += c.pick(
            rng,
            (
                [
                    nm["f"],
                    f"  Field required [type=missing, input_value={{'name': '{nm['w']}'}}, input_type=dict]",
                    "    For further information visit https://errors.pydantic.dev/2.7/v/missing",
                ],
                [
                    f"{nm['w']}.port",
                    f"  Input should be a valid integer, unable to parse string as an integer "
                    f"[type=int_parsing, input_value='{nm['n']}a', input_type=str]",
                    "    For further information visit https://errors.pydantic.dev/2.7/v/int_parsing",
                ],
                [
                    f"stages.{nm['n']}.kind",
                    "  Input should be 'train', 'eval' or 'export' [type=enum, "
                    f"input_value='{nm['w']}', input_type=str]",
                    "    For further information visit https://errors.pydantic.dev/2.7/v/enum",
                ],
                [
                    f"{nm['f']}",
                    f"  Extra inputs are not permitted [type=extra_forbidden, input_value="
                    f"'{nm['w']}', input_type=str]",
                    "    For further information visit https://errors.pydantic.dev/2.7/v/extra_forbidden",
                ],
            ),
        )
    n = sum(1 for e in errs if not e.startswith(" "))
    wd = c.workdir(rng)
    lines = [
        "Traceback (most recent call last):",
        f'  File "{wd}/scripts/check_config.py", line {rng.randint(5, 60)}, in <module>',
        f"    cfg = {model}.model_validate(yaml.safe_load(path.read_text()))",
        f'  File "{wd}/.venv/lib/python3.11/site-packages/pydantic/main.py", line 551, in model_validate',
        "    return cls.__pydantic_validator__.validate_python(",
        f"pydantic_core._pydantic_core.ValidationError: {n} validation error{'s' if n > 1 else ''} for {model}",
        *errs,
    ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Validate config", "Check configuration")),
        "python scripts/check_config.py config/*.yaml",
    )


def ajv(rng: random.Random, eco: str) -> Failure:
    files = [
        _data_file(rng).replace(".yaml", ".json").replace(".yml", ".json")
        for _ in range(rng.randint(3, 8))
    ]
    bad = c.pick(rng, files)
    lines = [f"{f} valid" for f in files if f != bad] + [f"{bad} invalid"]
    nm = c.names(rng)
    err = c.pick(
        rng,
        (
            (
                "required",
                f"missingProperty: '{nm['f']}'",
                f"must have required property '{nm['f']}'",
            ),
            ("type", "type: 'string'", "must be string"),
            (
                "additionalProperties",
                f"additionalProperty: '{nm['v']}'",
                "must NOT have additional properties",
            ),
            (
                "enum",
                "allowedValues: [ 'daily', 'weekly' ]",
                "must be equal to one of the allowed values",
            ),
        ),
    )
    inst = f"/{nm['w']}s/{nm['n']}"
    if rng.random() < 0.5:
        lines += [
            "[",
            "  {",
            f"    instancePath: '{inst}',",
            f"    schemaPath: '#/properties/{nm['w']}s/items/{err[0]}',",
            f"    keyword: '{err[0]}',",
            f"    params: {{ {err[1]} }},",
            f'    message: "{err[2]}"',
            "  }",
            "]",
        ]
    else:
        lines.append(f"{bad} invalid: data{inst.replace('/', '.')} {err[2]}")
    cmd = f'npx ajv validate -s schemas/{c.pick(rng, c.WORDS)}.schema.json -d "data/*.json" --spec=draft2020'
    return Failure(LABEL, lines, c.pick(rng, ("Validate JSON", "Schema check")), cmd)


def openapi_spec(rng: random.Random, eco: str) -> Failure:
    """An OpenAPI description fails its validator (openapi-spec-validator, redocly, swagger-cli)."""
    spec, nm = (
        c.pick(rng, ("openapi.yaml", "api/openapi.yml", "docs/openapi.json", "spec/v1.yaml")),
        c.names(rng),
    )
    route = f"/{nm['w']}s/{{{nm['f']}_id}}"
    tool = c.pick(rng, ("python", "redocly", "swagger-cli"))
    if tool == "python":
        lines = [
            "Traceback (most recent call last):",
            "  ...",
            f"openapi_spec_validator.validation.exceptions.OpenAPIValidationError: "
            f"{c.pick(rng, (repr('responses') + ' is a required property', repr(nm['n']) + ' is not valid under any of the given schemas'))}",
            "",
            "Failed validating 'required' in schema['properties']['paths']['patternProperties']['^/']:",
            "    ...",
            "",
            f"On instance['paths']['{route}']['get']:",
            f"    {{'operationId': '{nm['cm']}', 'parameters': [...]}}",
        ]
        cmd = f"openapi-spec-validator {spec}"
    elif tool == "redocly":
        n = rng.randint(1, 5)
        lines = [f"validating {spec}..."]
        for i in range(n):
            lines += [
                f"[{i + 1}] {spec}:{rng.randint(5, 900)}:{rng.randint(3, 20)} at #/paths/{route.replace('/', '~1')}/get/responses",
                "",
                c.pick(
                    rng,
                    (
                        "Property `required` is not expected here.",
                        f"Can't resolve $ref: #/components/schemas/{nm['T']}",
                        "The field `type` must be present on this level.",
                        "Operation must have at least one `2XX` response.",
                    ),
                ),
                "",
                f"Error was generated by the {c.pick(rng, ('struct', 'no-unresolved-refs', 'operation-2xx-response'))} rule.",
                "",
            ]
        lines.append(f"{spec}: validated in {rng.randint(20, 900)}ms")
        lines += ["", f"❌ Validation failed with {n} error{'s' if n > 1 else ''}."]
        cmd = f"npx @redocly/cli lint {spec}"
    else:
        lines = [
            "Swagger schema validation failed.",
            f"  Data does not match any schemas from 'oneOf' at #/paths/{route}/get/responses/200",
            f"    Missing required property: description at #/paths/{route}/get/responses/200",
            "",
            "JSON_OBJECT_VALIDATION_FAILED",
        ]
        cmd = f"npx swagger-cli validate {spec}"
    return Failure(
        LABEL, lines, c.pick(rng, ("Validate OpenAPI", "Lint API spec")), cmd, tags=(tool,)
    )


_K8S_KINDS = (
    ("Deployment", "apps/v1"),
    ("Service", "v1"),
    ("Ingress", "networking.k8s.io/v1"),
    ("CronJob", "batch/v1"),
    ("ConfigMap", "v1"),
    ("HorizontalPodAutoscaler", "autoscaling/v2"),
)


def k8s_manifest_schema(rng: random.Random, eco: str) -> Failure:
    """kubeconform / kubeval reject a Kubernetes manifest."""
    (kind, api), name = c.pick(rng, _K8S_KINDS), c.pick(rng, c.WORDS)
    f = f"{c.pick(rng, ('deploy', 'k8s', 'manifests/base', 'charts/rendered'))}/{name}-{kind.lower()}.yaml"
    field, want, got = c.pick(
        rng,
        (
            ("/spec/replicas", "integer or null", "string"),
            ("/spec/template/spec/containers/0/ports/0/containerPort", "integer", "string"),
            ("/spec/ports/0/port", "integer", "string"),
            ("/metadata/labels/app", "string or null", "number"),
        ),
    )
    total = rng.randint(3, 60)
    if rng.random() < 0.6:
        url = f"https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.29.0-standalone-strict/{kind.lower()}-{api.split('/')[-1]}.json"
        lines = [
            f"{c.pick(rng, ('deploy', 'k8s'))}/{c.pick(rng, c.WORDS)}.yaml - {k} {c.pick(rng, c.WORDS)} is valid"
            for k, _ in rng.sample(_K8S_KINDS, rng.randint(3, 6))
        ]
        lines += [
            f"{f} - {kind} {name} is invalid: problem validating schema. Check JSON formatting: jsonschema: "
            f"'{field}' does not validate with {url}#/properties{field.replace('/', '/properties/', 2)}/type: "
            f"expected {want}, but got {got}",
            f"Summary: {total} resources found in {rng.randint(1, total)} files - Valid: {total - 1}, Invalid: 1, "
            f"Errors: 0, Skipped: {rng.randint(0, 3)}",
        ]
        cmd = "kubeconform -strict -summary -verbose -kubernetes-version 1.29.0 deploy/"
    else:
        lines = [
            f"PASS - {c.pick(rng, c.WORDS)}-service.yaml contains a valid Service ({c.pick(rng, c.WORDS)})"
            for _ in range(rng.randint(0, 5))
        ]
        lines += [
            f"WARN - {f} contains an invalid {kind} ({name}) - {field[1:].replace('/', '.')}: Invalid type. "
            f"Expected: [{want.replace(' or ', ',')}], given: {got}"
        ]
        cmd = "kubeval --strict --ignore-missing-schemas k8s/*.yaml"
    return c.finish(rng, eco, LABEL, lines, "Validate manifests", cmd, stack="go")


_TF = (
    ("Missing required argument", 'The argument "{arg}" is required, but no definition was found.'),
    ("Unsupported argument", 'An argument named "{arg}" is not expected here.'),
    (
        "Incorrect attribute value type",
        'Inappropriate value for attribute "{arg}": number required.',
    ),
    (
        "Invalid value for variable",
        "{arg} must be one of: dev, staging, prod.\n\nThis was checked by the "
        "validation rule at variables.tf:{n},3-13.",
    ),
)


def terraform_validate(rng: random.Random, eco: str) -> Failure:
    lines = (
        [
            "Initializing the backend...",
            "Initializing provider plugins...",
            f"- Using previously-installed hashicorp/aws v5.{rng.randint(10, 60)}.0",
            "",
            "Terraform has been successfully initialized!",
            "",
        ]
        if rng.random() < 0.5
        else []
    )
    res, name = (
        c.pick(
            rng,
            (
                "aws_s3_bucket",
                "aws_lambda_function",
                "google_storage_bucket",
                "azurerm_storage_account",
            ),
        ),
        c.ident(rng, 1),
    )
    for _ in range(rng.randint(1, 3)):
        title, detail = c.pick(rng, _TF)
        line, arg = (
            rng.randint(3, 200),
            c.pick(
                rng,
                ("bucket", "runtime", "memory_size", "location", "environment", "retention_days"),
            ),
        )
        lines += [
            "╷",
            f"│ Error: {title}",
            "│ ",
            f'│   on {c.pick(rng, ("main.tf", "storage.tf", "lambda.tf"))} line {line}, in resource "{res}" "{name}":',
            f"│   {line}:   {arg} = {rng.randint(1, 99)}",
            "│ ",
        ]
        lines += [
            f"│ {d}".rstrip() for d in detail.format(arg=arg, n=rng.randint(3, 90)).split("\n")
        ] + ["╵"]
    cmd = c.pick(rng, ("terraform validate", "terraform -chdir=infra validate -no-color"))
    return c.finish(rng, eco, LABEL, lines, "Terraform validate", cmd, stack="terraform")


def dataset_schema_mismatch(rng: random.Random, eco: str) -> Failure:
    """A dataset's columns or types do not match the declared schema (pandera, HF datasets, pyarrow)."""
    cols = rng.sample(
        ("id", "text", "label", "price", "created_at", "user_id", "score", "split", "lang"), 4
    )
    extra, tool = (
        c.pick(rng, ("label_id", "Label", "text_clean", "score_v2")),
        c.pick(rng, ("pandera", "datasets", "pyarrow")),
    )
    if tool == "pandera":
        col = c.pick(rng, cols)
        lines = [
            "Traceback (most recent call last):",
            "  ...",
            c.pick(
                rng,
                (
                    f"pandera.errors.SchemaError: column '{col}' not in dataframe. Columns in dataframe: {[*cols[:2], extra]}",
                    f"pandera.errors.SchemaError: expected series '{col}' to have type int64, got object",
                    f"pandera.errors.SchemaError: non-nullable series '{col}' contains null values:\n{rng.randint(0, 999)}   NaN\nName: {col}, dtype: float64",
                ),
            ),
        ]
        lines = [x for ln in lines for x in ln.split("\n")]
    elif tool == "datasets":
        lines = [
            f"Generating train split: {rng.randint(100, 90000)} examples",
            "Traceback (most recent call last):",
            "  ...",
            "datasets.table.CastError: Couldn't cast",
            *[f"{col}: {c.pick(rng, ('string', 'int64', 'double'))}" for col in [*cols[:3], extra]],
            "-- schema metadata --",
            'pandas: \'{"index_columns": [], "column_indexes": [], "columns": [{"name":\' + 412',
            "to",
            "{" + ", ".join(f"'{col}': Value(dtype='string', id=None)" for col in cols[:4]) + "}",
            "because column names don't match",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "datasets.exceptions.DatasetGenerationError: An error occurred while generating the dataset",
        ]
    else:
        lines = [
            "Traceback (most recent call last):",
            "  ...",
            f"pyarrow.lib.ArrowInvalid: Schema at index {rng.randint(1, 40)} was different: ",
            *[f"{col}: string" for col in cols[:3]],
            "vs",
            *[f"{col}: int64" for col in cols[:3]],
        ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Validate dataset", "Check data")),
        f"python -m {c.pick(rng, c.PROJECTS).replace('-', '_')}.data.validate",
        tags=(tool,),
    )


def spring_config_binding(rng: random.Random, eco: str) -> Failure:
    prefix, cls = f"app.{c.pick(rng, c.WORDS)}", f"com.acme.config.{c.pascal(rng)}Properties"
    field, value, reason = c.pick(
        rng,
        (
            ("port", '"http"', "failed to convert java.lang.String to int"),
            ("timeout", '"30 seconds"', "failed to convert java.lang.String to java.time.Duration"),
            ("base-url", "null", "must not be null"),
            ("retries", "-1", "must be greater than or equal to 0"),
        ),
    )
    lines = [
        "",
        "*" * 27,
        "APPLICATION FAILED TO START",
        "*" * 27,
        "",
        "Description:",
        "",
        f"Binding to target {cls} failed:"
        if reason.startswith("must")
        else f"Failed to bind properties under '{prefix}.{field}' to {cls}:",
        "",
        f"    Property: {prefix}.{field}",
        f"    Value: {value}",
        f"    Origin: class path resource [application-ci.yml] - {rng.randint(2, 80)}:{rng.randint(3, 20)}",
        f"    Reason: {reason}",
        "",
        "Action:",
        "",
        "Update your application's configuration",
    ]
    lines = [
        f"{rng.randint(10, 59)}:{rng.randint(10, 59)}.{rng.randint(100, 999)} [main] ERROR o.s.b.d.LoggingFailureAnalysisReporter -- ",
        *lines,
    ]
    lines += [
        "[ERROR] Tests run: 1, Failures: 0, Errors: 1, Skipped: 0 <<< FAILURE! -- in com.acme.ApplicationTests",
        "[ERROR] com.acme.ApplicationTests.contextLoads -- <<< ERROR!",
        "java.lang.IllegalStateException: Failed to load ApplicationContext",
    ]
    return Failure(LABEL, lines, "Build with Maven", "mvn -B verify")


def dotnet_options_validation(rng: random.Random, eco: str) -> Failure:
    opts, nm = f"{c.pascal(rng, 1)}Options", c.names(rng)
    msg = c.pick(
        rng,
        (
            f"DataAnnotation validation failed for '{opts}' members: 'Port' with the error: 'The field Port must be between 1 and 65535.'.",
            f"DataAnnotation validation failed for '{opts}' members: '{nm['U']}' with the error: 'The {nm['U']} field is required.'.",
            f"DataAnnotation validation failed for '{opts}' members: 'BaseUrl' with the error: 'The BaseUrl field is not a valid fully-qualified http, https, or ftp URL.'.",
        ),
    )
    lines = [
        "Unhandled exception. Microsoft.Extensions.Options.OptionsValidationException: " + msg,
        "   at Microsoft.Extensions.Options.OptionsFactory`1.Create(String name)",
        "   at Microsoft.Extensions.Options.OptionsMonitor`1.<>c.<Get>b__10_0(String name, IOptionsFactory`1 factory)",
        "   at Microsoft.Extensions.Hosting.Internal.Host.StartAsync(CancellationToken cancellationToken)",
        f"   at Program.<Main>$(String[] args) in {c.workdir(rng)}/src/Acme.Api/Program.cs:line {rng.randint(20, 90)}",
    ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Validate configuration", "Smoke test")),
        "dotnet run --project src/Acme.Api -- --validate-config",
        134,
    )


def ruby_json_schema(rng: random.Random, eco: str) -> Failure:
    f, nm = _data_file(rng), c.names(rng)
    msg = c.pick(
        rng,
        (
            f"The property '#/{nm['w']}s/{nm['n']}' did not contain a required property of '{nm['f']}'",
            f"The property '#/{nm['f']}' of type string did not match the following type: integer",
            f"The property '#/' contains additional properties [\"{nm['v']}\"] outside of the schema when none are allowed",
        ),
    )
    lines = [
        "rake aborted!",
        f"JSON::Schema::ValidationError: {msg} in schema {c.pick(rng, c.WORDS)}.json",
        "/usr/local/bundle/gems/json-schema-4.3.0/lib/json-schema/attribute.rb:18:in `validation_error'",
        f"{c.workdir(rng)}/lib/tasks/schema.rake:{rng.randint(5, 40)}:in `block (3 levels) in <main>'",
        "Tasks: TOP => schema:validate",
        "(See full trace by running task with --trace)",
    ]
    if rng.random() < 0.5:
        lines.insert(0, f"Validating {f}")
    return Failure(LABEL, lines, "Validate schemas", "bundle exec rake schema:validate")


def cue_vet(rng: random.Random, eco: str) -> Failure:
    nm = c.names(rng)
    f = c.pick(rng, ("config/prod.yaml", "deploy/values.yaml", "services.yaml"))
    lines = []
    for _ in range(rng.randint(2, 4)):
        field = f"{c.pick(rng, c.WORDS)}.{c.pick(rng, ('replicas', 'port', 'timeout', 'region'))}"
        lines += c.pick(
            rng,
            (
                [
                    f'{field}: conflicting values "{nm["n"]}" and int (mismatched types string and int):',
                    f"    ./schema.cue:{rng.randint(3, 90)}:{rng.randint(3, 20)}",
                    f"    ./{f}:{rng.randint(2, 90)}:{rng.randint(3, 20)}",
                ],
                [
                    f"{field}: invalid value {nm['n']}0 (out of bound <=65535):",
                    f"    ./schema.cue:{rng.randint(3, 90)}:{rng.randint(3, 20)}",
                ],
                [
                    f"{field}: field not allowed:",
                    f"    ./{f}:{rng.randint(2, 90)}:{rng.randint(3, 20)}",
                ],
            ),
        )
    return c.finish(
        rng, eco, LABEL, lines, "Validate config", f"cue vet schema.cue {f}", stack="go"
    )


_ALL = ("python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker")


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("python-jsonschema", ("python",), python_jsonschema),
    _family("check-jsonschema", _ALL, check_jsonschema),
    _family("pydantic-config", ("python",), pydantic_config),
    _family("ajv", ("node",), ajv),
    _family("openapi-spec", ("python", "node", "java", "go"), openapi_spec),
    _family("k8s-manifest-schema", ("go", "python", "node"), k8s_manifest_schema),
    _family("terraform-validate", ("go", "python", "node"), terraform_validate),
    _family("dataset-schema-mismatch", ("python",), dataset_schema_mismatch),
    _family("spring-config-binding", ("java",), spring_config_binding),
    _family("dotnet-options-validation", ("dotnet",), dotnet_options_validation),
    _family("ruby-json-schema", ("ruby",), ruby_json_schema),
    _family("cue-vet", ("go",), cue_vet),
]
