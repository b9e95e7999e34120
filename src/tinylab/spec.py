"""Specs: pydantic models, TOML in, dotted overrides, validated once.

A task's default spec is the base; a user's TOML file and ``--set key=value`` overrides are merged onto
it, in that order, and the result is validated once. Unknown keys and wrong types raise
:class:`~tinylab.errors.SpecError` naming the key and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tinylab.errors import SpecError


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class TrainSpec(StrictModel):
    epochs: int = Field(12, ge=1)
    batch_size: int = Field(256, ge=1)
    lr: float = Field(3e-3, gt=0)
    weight_decay: float = Field(1e-4, ge=0)
    warmup_frac: float = Field(0.05, ge=0, lt=1)
    lr_decay: float = Field(0.0, ge=0, lt=1, description="0: cosine decay after the warm-up. d > 0: the learning "
                            "rate is multiplied by d every epoch after the warm-up (exponential decay)")
    label_smoothing: float = Field(0.0, ge=0, lt=1)
    patience: int = Field(4, ge=1, description="epochs without validation improvement before stopping")
    class_weights: bool = False
    rank_weight: float = Field(0.0, ge=0, description="regression: weight of a pairwise ranking term added to "
                               "the squared error (a logistic loss on every pair of the batch whose targets "
                               "differ, for the order of their outputs); 0 = squared error alone")
    length_bands: int = Field(
        0, ge=0, description="0: random batches. n > 0: every n consecutive batches of the shuffled data are "
        "re-cut by value length (n bands, short to long) and each is trimmed to its longest value; "
        "padding-invariant byte models only. Fewer bands keep batches more random, more bands save more")
    seed: int = 0
    threads: int = Field(0, ge=0, description="torch threads; 0 = all cores")
    keep_checkpoints: int = Field(2, ge=1, description="how many per-epoch checkpoints to keep")


class ExportSpec(StrictModel):
    int8: bool = Field(
        False, description="serve an int8 ONNX model (export.int8_method); classification kinds; metrics are "
        "measured on it, the float weights stay in model.safetensors")
    min_agreement: float = Field(
        0.99, ge=0, le=1, description="the int8 model is kept only if its answer (top-1 label, or every label's "
        "decision at 0.5) agrees with the float model's on at least this share of the validation split; otherwise "
        "the float model serves")
    calibration_values: int = Field(4096, ge=16, description="validation values the int8 ranges are calibrated on")
    int8_method: Literal["static", "dynamic"] = Field(
        "static", description="static: weights and activations int8, activation ranges calibrated on validation "
        "(convolutions); dynamic: int8 weights, activation ranges measured as it runs (transformers)")


class SearchRange(StrictModel):
    """One spec key's search space for ``tinylab tune``: ``choices``, or a ``low``..``high`` range (integers
    when both ends are integers; ``log`` for a log scale; ``step`` for a grid)."""

    low: int | float | None = None
    high: int | float | None = None
    log: bool = False
    step: int | float | None = None
    choices: list[Any] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> SearchRange:
        if self.choices is not None:
            if not self.choices or self.low is not None or self.high is not None:
                raise ValueError("give either a non-empty `choices` list or `low` and `high`, not both")
        elif self.low is None or self.high is None or not self.low < self.high:
            raise ValueError("a range needs `low` < `high` (or give `choices`)")
        elif self.log and self.low <= 0:
            raise ValueError("a log range needs `low` > 0")
        return self

    @property
    def integer(self) -> bool:
        return all(isinstance(v, int) for v in (self.low, self.high)) and (self.step is None or
                                                                            float(self.step).is_integer())


class BaseSpec(StrictModel):
    """Sections every task's spec has; a task subclasses it with typed ``data`` and ``model`` sections."""

    task: str
    train: TrainSpec = TrainSpec()
    export: ExportSpec = ExportSpec()
    targets: dict[str, float] = Field(default_factory=dict, description="metric name -> minimum value")
    tune: dict[str, SearchRange] = Field(
        default_factory=dict, description="tinylab tune's search space: a dotted spec key (train.lr, "
        "model.channels) -> its range or choices; empty: the task's default")


S = TypeVar("S", bound=BaseSpec)


def parse_value(raw: str) -> Any:
    """A ``--set`` value as TOML (``20``, ``0.5``, ``true``, ``[3, 5]``, ``"x"``), else the raw string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def apply_override(data: dict[str, Any], assignment: str) -> None:
    if "=" not in assignment:
        raise SpecError(f"override {assignment!r} is not of the form key=value (e.g. train.epochs=20)")
    key, raw = assignment.split("=", 1)
    parts = key.strip().split(".")
    if not all(parts):
        raise SpecError(f"override key {key!r} is empty or has an empty part")
    node = data
    for i, part in enumerate(parts[:-1]):
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise SpecError(f"override {key!r}: {'.'.join(parts[: i + 1])!r} is a value, not a section")
        node = child
    node[parts[-1]] = parse_value(raw.strip())


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _model_at(cls: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the field at ``loc`` (minus its last part), if it is one."""
    current: type[BaseModel] | None = cls
    for part in loc[:-1]:
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return None
        ann = current.model_fields[part].annotation
        current = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return current


def _describe(cls: type[BaseModel], err: Any) -> str:
    loc = tuple(err["loc"])
    key = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        owner = _model_at(cls, loc)
        section = ".".join(str(p) for p in loc[:-1]) or "top level"
        valid = ", ".join(sorted(owner.model_fields)) if owner else "?"
        return f"unknown spec key {key!r}; valid keys in [{section}]: {valid}"
    got = repr(err.get("input"))
    if len(got) > 80:  # a 1 MB value is not echoed back whole
        got = f"{got[:60]}… ({len(got):,} characters)"
    return f"spec key {key!r}: {err['msg'].lower()} (got {got})"


def read_spec_text(path: Path) -> str:
    """A spec file's text, or a SpecError naming the file (and the line of a byte that is not UTF-8)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise SpecError(f"cannot read spec file {path}: {e.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise SpecError(f"spec file {path}, line {line}: not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as "
                        "UTF-8") from None


def resolve(cls: type[S], default: dict[str, Any], spec_file: Path | None = None,
            overrides: list[str] | None = None) -> S:
    """Merge default, file and overrides, and validate once."""
    data = dict(default)
    if spec_file is not None:
        text = read_spec_text(Path(spec_file))
        try:
            loaded = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise SpecError(f"spec file {spec_file} is not valid TOML: {e}") from None
        if "task" in loaded and loaded["task"] != default.get("task"):
            raise SpecError(f"spec file {spec_file} is for task {loaded['task']!r}, not {default.get('task')!r}")
        data = deep_merge(data, loaded)
    for assignment in overrides or []:
        apply_override(data, assignment)
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise SpecError("; ".join(_describe(cls, err) for err in e.errors())) from None


def to_toml(spec: BaseSpec) -> str:
    return tomli_w.dumps(spec.model_dump(mode="json", exclude_none=True))


def load_toml(cls: type[S], path: Path) -> S:
    """A spec saved in a run (already resolved): validated, nothing merged."""
    try:
        return cls.model_validate(tomllib.loads(read_spec_text(path)))
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise SpecError(f"{path}: saved spec does not validate: {e}") from None


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; used to diff two specs."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out
