"""The from-file spec. ``data`` names the file and its columns; ``data.kind`` (left out: inferred) and
``model.name = "auto"`` are resolved from the file when the spec is validated (the kind from the targets, the
model from the inputs, see :mod:`tinylab.tasks.from_file.infer`), together with the file's absolute path and
sha256 and, for regression, the scale of the model's output. The resolved spec is what a run saves, so a saved
run rebuilds the same model and predicts without the file; evaluating it again reads the file and refuses a
changed one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tinylab.errors import SpecError
from tinylab.models.specs import CharCNNSpec, SentenceHeadSpec
from tinylab.spec import BaseSpec, StrictModel, TrainSpec

KindName = Literal["single_label", "binary", "multi_label", "regression"]

_SCALE = ("regression only, set from the train split when the spec is resolved: the model's raw output is "
          "multiplied by target_std and target_mean is added")


class FromFileData(StrictModel):
    path: str = Field("", description="the data file (CSV, TSV, Parquet or JSON Lines); made absolute on resolution")
    format: Literal["auto", "csv", "tsv", "parquet", "jsonl"] = Field(
        "auto", description="auto: from the extension (.csv .txt / .tsv .tab / .parquet .pq / .jsonl .ndjson)")
    delimiter: str = Field("", description="CSV field delimiter; empty: ',' for csv, a tab for tsv")
    encoding: Literal["utf-8", "utf-16", "latin-1"] = Field("utf-8", description="text encoding of a CSV, TSV or "
                                                            "JSON Lines file")
    input: str = Field("", description="the input column (text)")
    targets: list[str] = Field(default_factory=list, description="the target column(s)")
    group: str = Field("", description="rows sharing this column's value stay in one split; empty: split rows")
    kind: KindName | None = Field(None, description="left out: inferred from the targets when the spec is resolved")
    val_fraction: float = Field(0.1, gt=0, lt=1)
    test_fraction: float = Field(0.1, gt=0, lt=1)
    split_seed: int = 42
    sha256: str = Field("", description="the file's sha256, set on resolution; a changed file is refused")

    @model_validator(mode="after")
    def _fractions(self) -> FromFileData:
        if self.val_fraction + self.test_fraction >= 1:  # SpecError passes through pydantic as it is
            raise SpecError(f"data.val_fraction + data.test_fraction must be < 1 (got {self.val_fraction} + "
                            f"{self.test_fraction}): train needs rows too")
        return self


class CharCNNModel(CharCNNSpec):
    target_mean: float | None = Field(None, description=_SCALE)
    target_std: float | None = Field(None, gt=0, description=_SCALE)


class SentenceHeadModel(SentenceHeadSpec):
    target_mean: float | None = Field(None, description=_SCALE)
    target_std: float | None = Field(None, gt=0, description=_SCALE)


class AutoModel(BaseModel):
    """``name = "auto"``: chosen from the inputs on resolution; other keys set here apply to the chosen model."""

    model_config = ConfigDict(extra="allow")
    name: Literal["auto"] = "auto"


#: kinds whose model learns a standardized target (its output is scaled back with the train split's mean and std)
SCALED_KINDS = frozenset({"regression"})

MODEL_CLASSES: dict[str, type[StrictModel]] = {"char_cnn": CharCNNModel, "sentence_head": SentenceHeadModel}
# defaults that train in seconds on a few thousand rows on two cores
MODEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "char_cnn": {"max_len": 64, "channels": 64, "hidden": 128},
    "sentence_head": {"hidden": 0, "ngram_buckets": 65536},
}

# training settings the chosen model brings where the spec leaves them out (the sentence head is linear: it
# takes a larger step)
TRAIN_DEFAULTS: dict[str, dict[str, Any]] = {
    "char_cnn": {"lr": 3e-3},
    "sentence_head": {"lr": 1e-2, "weight_decay": 1e-2},
}
STEPS = 600  # optimizer steps the default number of epochs aims at
MIN_EPOCHS, MAX_EPOCHS = 10, 60


def default_epochs(train_rows: int, batch_size: int) -> int:
    """Epochs for about :data:`STEPS` optimizer steps, within [:data:`MIN_EPOCHS`, :data:`MAX_EPOCHS`]: small files
    get more passes, large ones fewer."""
    per_epoch = max(1, -(-train_rows // max(1, batch_size)))
    return min(MAX_EPOCHS, max(MIN_EPOCHS, -(-STEPS // per_epoch)))


ModelSpec = Annotated[AutoModel | CharCNNModel | SentenceHeadModel, Field(discriminator="name")]


class FromFileSpec(BaseSpec):
    task: Literal["from-file"] = "from-file"
    data: FromFileData = FromFileData()
    model: ModelSpec = AutoModel()

    @model_validator(mode="before")
    @classmethod
    def _resolve_from_data(cls, raw: Any) -> Any:
        return resolve_from_data(raw)


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json", exclude_none=True) if isinstance(value, BaseModel) else value


def _model_error(name: str, err: Any) -> str:
    key = "model." + ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return (f"unknown spec key {key!r}; valid keys in [model] ({name}): "
                f"{', '.join(sorted(MODEL_CLASSES[name].model_fields))}")
    return f"spec key {key!r}: {err['msg'].lower()} (got {err.get('input')!r})"


def resolve_from_data(raw: Any) -> Any:
    """The raw spec with ``data.kind``, ``model``, ``data.path`` (absolute) and ``data.sha256`` resolved from
    the file, when ``data.path`` is set and any of them is not yet resolved, and the training settings the
    spec leaves out filled in for the chosen model and the file's size (``train.epochs``: :func:`default_epochs`;
    ``train.lr``: :data:`TRAIN_DEFAULTS`); unchanged otherwise (and when the data section does not validate:
    the normal validation then reports it)."""
    if not isinstance(raw, dict):
        return raw
    data_raw, model_raw = _plain(raw.get("data", {})), _plain(raw.get("model", {"name": "auto"}))
    train_raw = _plain(raw.get("train", {}))
    if not isinstance(data_raw, dict) or not isinstance(model_raw, dict) or not isinstance(train_raw, dict):
        return raw
    try:
        data = FromFileData.model_validate(data_raw)
    except ValidationError:
        return raw
    name = model_raw.get("name", "auto")
    if name != "auto" and name not in MODEL_CLASSES:
        return raw
    extras = {k: v for k, v in model_raw.items() if k != "name"}
    path = Path(data.path)
    pending = (data.kind is None or name == "auto" or not data.sha256 or not path.is_absolute()
               or "epochs" not in train_raw or (data.kind in SCALED_KINDS and extras.get("target_mean") is None))
    if not data.path or not pending:
        if name in MODEL_DEFAULTS:
            return {**raw, "model": {**MODEL_DEFAULTS[name], **extras, "name": name},
                    "train": {**TRAIN_DEFAULTS[name], **train_raw}}
        return raw
    from tinylab.tasks.from_file.dataset import load_file_data

    data = data.model_copy(update={"path": str(path.resolve())})
    found = load_file_data(data)
    if name == "auto":
        name = found.model_name()
    model = {**MODEL_DEFAULTS[name], **extras, "name": name}
    if found.kind in SCALED_KINDS and model.get("target_mean") is None:
        y = found.targets.values[found.splits["train"]].astype(float)
        model["target_mean"], model["target_std"] = float(y.mean()), float(y.std()) or 1.0
    try:
        MODEL_CLASSES[name].model_validate(model)
    except ValidationError as e:
        raise SpecError("; ".join(_model_error(name, err) for err in e.errors())) from None
    train = {**TRAIN_DEFAULTS[name], **train_raw}
    if "epochs" not in train:
        batch = train.get("batch_size", TrainSpec.model_fields["batch_size"].default)
        train["epochs"] = default_epochs(len(found.splits["train"]), batch)
    return {**raw, "data": {**data_raw, "path": data.path, "kind": found.kind, "sha256": found.sha256},
            "model": model, "train": train}
