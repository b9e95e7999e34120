"""Hyperparameter search with Optuna over a spec's ``[tune]`` search space, on the validation split only.

Each trial is one :func:`tinylab.lifecycle.fit` with the trial's values set on the spec: TPE proposes them,
and a median pruner stops a trial whose validation score, reported every epoch through fit's callback, falls
behind the other trials' at the same epoch. No trial reads the test split. When the trials are done, the best
trial's spec is trained once more and finalized: that run, a normal run directory with its report, is the
only one that reads test.

Studies live behind one URL, as Optuna keeps them: by default a journal file under the runs directory (safe
for several processes on one machine); a database URL (``postgresql://...``) lets any number of workers on
any number of machines share one study.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinylab.errors import SpecError, TinylabError
from tinylab.lifecycle import Outcome, fit, resolve_spec, train_spec
from tinylab.spec import BaseSpec, SearchRange, resolve
from tinylab.tasks import get_task
from tinylab.tasks.base import Task, task_kind

if TYPE_CHECKING:
    import optuna

# what a task searches when neither its default spec nor the user's gives a [tune] table
FALLBACK_SPACE = {
    "train.lr": {"low": 3e-4, "high": 3e-2, "log": True},
    "train.weight_decay": {"low": 1e-6, "high": 1e-2, "log": True},
}


@dataclass
class TuneOutcome:
    study: str
    storage: str
    trials: list[dict[str, Any]]
    best: dict[str, Any] | None
    final: Outcome | None
    plots: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"study": self.study, "storage": self.storage, "trials": self.trials, "best": self.best,
                "final": None if self.final is None else self.final.as_json(), "plots": [str(p) for p in self.plots]}


def search_space(spec: BaseSpec) -> dict[str, SearchRange]:
    """The spec's ``[tune]`` table, or the fallback (learning rate and weight decay); every key must be a key
    of the spec."""
    space = dict(spec.tune) or {k: SearchRange.model_validate(v) for k, v in FALLBACK_SPACE.items()}
    from tinylab.spec import flatten

    known = flatten(spec.model_dump(mode="json", exclude={"tune"}))
    unknown = [k for k in space if k not in known]
    if unknown:
        raise SpecError(f"tune: {', '.join(repr(k) for k in unknown)} is not a key of the {spec.task} spec; "
                        f"searchable keys include: {', '.join(k for k in known if k.startswith(('train.', 'model.')))}")
    return space


def suggest(trial: optuna.Trial, key: str, r: SearchRange) -> Any:
    if r.choices is not None:
        return trial.suggest_categorical(key, r.choices)
    assert r.low is not None and r.high is not None
    if r.integer:
        return trial.suggest_int(key, int(r.low), int(r.high), step=int(r.step or 1), log=r.log)
    return trial.suggest_float(key, r.low, r.high, step=r.step, log=r.log)


def default_storage(runs_dir: Path, study: str) -> str:
    path = Path(runs_dir) / ".tune" / f"{study}.journal"
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


# a database worker beats every `heartbeat` seconds; a running trial silent for 4 beats (its worker was killed)
# is marked failed by the next worker that starts a trial
HEARTBEAT = 5


def open_storage(url: str, heartbeat: int = HEARTBEAT) -> Any:
    """A journal file path (the default), or a database URL (``postgresql://user@host:port/db``, ``sqlite:///``)
    with heartbeats, so a trial whose worker died is marked failed instead of running forever."""
    if "://" in url:
        from optuna.storages import RDBStorage

        given = url
        if url.startswith(("postgresql://", "postgres://")):  # the driver the tune extra installs
            url = "postgresql+psycopg2://" + url.split("://", 1)[1]
        for attempt in range(3):
            try:
                return RDBStorage(url, heartbeat_interval=heartbeat, grace_period=4 * heartbeat)
            except ModuleNotFoundError:
                raise
            except Exception as e:  # SQLAlchemy's connection and URL errors
                if attempt < 2 and ("already exists" in str(e) or "duplicate key" in str(e)):
                    time.sleep(1.0)  # two workers creating a new study database's tables at once: one wins
                    continue
                reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise TinylabError(f"--storage {given}: cannot open the study database: {reason}") from None
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    return JournalStorage(JournalFileBackend(url))


def _trial_rows(study: optuna.Study) -> list[dict[str, Any]]:
    return [{"number": t.number, "state": t.state.name.lower(), "value": t.value, "params": t.params,
             "epochs": len(t.intermediate_values)} for t in study.trials]


def run_study(task: Task | str, spec_file: Path | None = None, overrides: list[str] | None = None, *,
              trials: int = 20, timeout: float | None = None, storage: str | None = None,
              study_name: str | None = None, runs_dir: Path = Path("runs"), final: bool = True,
              pruner: optuna.pruners.BasePruner | None = None, heartbeat: int = HEARTBEAT,
              trial_seconds: float | None = None) -> TuneOutcome:
    """Run ``trials`` more trials of the study (created if new), then train and finalize the best spec.

    ``trial_seconds``: a trial still training after this many seconds stops at the end of its epoch and
    counts with its best validation score so far (a task may set a default, ``tune_trial_seconds``); the
    final run of the best spec trains in full."""
    import optuna

    task = get_task(task) if isinstance(task, str) else task
    if trial_seconds is None:
        trial_seconds = getattr(task, "tune_trial_seconds", None)
    base = resolve_spec(task, spec_file, overrides)
    space = search_space(base)
    name = study_name or task.name
    url = storage or default_storage(runs_dir, name)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=name, storage=open_storage(url, heartbeat), direction="maximize", load_if_exists=True,
        sampler=optuna.samplers.TPESampler(seed=base.train.seed),
        pruner=pruner or optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1))
    base_data = base.model_dump(mode="json")

    def spec_of(params: dict[str, Any]) -> BaseSpec:
        return resolve(task.spec_class, base_data, None, [f"{k}={json.dumps(v)}" for k, v in params.items()])

    def objective(trial: optuna.Trial) -> float:
        spec = spec_of({key: suggest(trial, key, r) for key, r in space.items()})
        metric = task_kind(task, spec).validation_metric

        started = time.perf_counter()

        def report(epoch: int, record: dict[str, Any], state: Any) -> bool:
            trial.report(float(record[metric]), epoch)
            if trial.should_prune():
                raise optuna.TrialPruned(f"epoch {epoch}: {metric} {record[metric]:.4f} below the median")
            if trial_seconds and time.perf_counter() - started > trial_seconds:
                trial.set_user_attr("stopped_by_time_budget", epoch)
                return True  # over its time: keep the best epoch so far
            return False

        result = fit(task, spec, callbacks=[report])
        trial.set_user_attr("best_epoch", result.best_epoch)
        trial.set_user_attr("metric", metric)
        return float(result.best_score)

    if trials > 0:
        study.optimize(objective, n_trials=trials, timeout=timeout)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not done:
        return TuneOutcome(name, url, _trial_rows(study), None, None)
    best = study.best_trial
    best_row = {"number": best.number, "value": best.value, "params": best.params,
                "metric": best.user_attrs.get("metric")}
    outcome = train_spec(task, spec_of(best.params), runs_dir) if final else None
    return TuneOutcome(name, url, _trial_rows(study), best_row, outcome)


def study_report(task_name: str, storage: str | None = None, study_name: str | None = None,
                 runs_dir: Path = Path("runs")) -> TuneOutcome:
    """The trials of an existing study and its best one, and the parameters' importances when there are
    enough completed trials; nothing is trained."""
    import optuna

    task = get_task(task_name)
    name = study_name or task.name
    url = storage or str(Path(runs_dir) / ".tune" / f"{name}.journal")
    if "://" not in url and not Path(url).is_file():
        raise TinylabError(f"no study {name!r} at {url}; run `tinylab tune {task.name}` first (or give --storage)")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.load_study(study_name=name, storage=open_storage(url))
    except KeyError:
        raise TinylabError(f"no study {name!r} in {url}") from None
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = None
    if done:
        b = study.best_trial
        best = {"number": b.number, "value": b.value, "params": b.params, "metric": b.user_attrs.get("metric")}
        if len(done) >= 2 and len(b.params) > 0:
            with contextlib.suppress(RuntimeError, ValueError):  # e.g. a parameter that never varied
                best["importances"] = dict(optuna.importance.get_param_importances(study))
    plots = history_plots(_trial_rows(study), best, Path(runs_dir) / ".tune", name) if study.trials else []
    return TuneOutcome(name, url, _trial_rows(study), best, None, plots)


def history_plots(trials: list[dict[str, Any]], best: dict[str, Any] | None, folder: Path, name: str) -> list[Path]:
    """The study's optimisation history (every finished trial's validation score, pruned ones at the score
    they were stopped at, and the best so far) and, when known, the parameters' importances, as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    fig, ax = plt.subplots(figsize=(7, 3.4))
    done = [t for t in trials if t["state"] == "complete" and t["value"] is not None]
    pruned = [t for t in trials if t["state"] == "pruned" and t["value"] is not None]
    ax.plot([t["number"] for t in done], [t["value"] for t in done], "o", label="complete")
    ax.plot([t["number"] for t in pruned], [t["value"] for t in pruned], "x", color="tab:gray",
            label="pruned (score when stopped)")
    running, best_so_far = float("-inf"), []
    for t in sorted(done, key=lambda t: t["number"]):
        running = max(running, t["value"])
        best_so_far.append((t["number"], running))
    if best_so_far:
        ax.step(*zip(*best_so_far, strict=True), where="post", color="tab:green", label="best so far")
    ax.set_xlabel("trial")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel((best or {}).get("metric") or "validation score")
    ax.legend(loc="lower right")
    ax.set_title(f"optimisation history of {name}")
    history = folder / f"{name}-history.png"
    fig.savefig(history, dpi=110, bbox_inches="tight")
    plt.close(fig)
    out.append(history)
    importances = (best or {}).get("importances") or {}
    if importances:
        fig, ax = plt.subplots(figsize=(6, 0.35 * len(importances) + 1))
        keys = list(importances)[::-1]
        ax.barh(keys, [importances[k] for k in keys], color="tab:blue")
        ax.set_xlabel("importance (fANOVA)")
        ax.set_title(f"parameter importances of {name}")
        path = folder / f"{name}-importances.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        out.append(path)
    return out
