"""Convert between simplified and traditional characters with OpenCC.

Content is written once, in whichever script the author used, and shown in the
script the reader chose. Traditional output follows the regional standard in
``settings.SANFU_TRADITIONAL_CONFIG`` (s2tw or s2hk): plain s2t produces the
dictionary forms 爲 and 羣衆 that readers in Taiwan and Hong Kong do not use, and
s2twp would rewrite vocabulary (信息 → 資訊) in official text.

Building a converter loads its dictionaries, which costs milliseconds per call, so
each one is built once per process. OpenCC's ``Converter::Convert`` is const and
documented thread-safe upstream (BYVoid/OpenCC#231), so only construction is locked.
"""

import hashlib
import json
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

import opencc
from django.conf import settings
from django.core.cache import cache

Script = Literal["hans", "hant"]

SIMPLIFIED_CONFIG = "t2s"
# The key names content, not time, so an entry never goes stale; the timeout only
# bounds the memory held by pages that are never asked for again, such as pages
# carrying a per-request CSRF token.
CACHE_TIMEOUT = 60 * 60

_converters: dict[str, opencc.OpenCC] = {}
_converters_lock = threading.Lock()


def to_simplified(text: str) -> str:
    return _converter(SIMPLIFIED_CONFIG).convert(text)


def to_traditional(text: str) -> str:
    return _converter(settings.SANFU_TRADITIONAL_CONFIG).convert(text)


def convert(text: str, script: Script) -> str:
    return _converter(_config_for(script)).convert(text)


def convert_cached(text: str, script: Script) -> str:
    """Convert ``text`` (typically a whole page) through the default cache.

    A page is converted once per content, script variant and OpenCC version, so
    a popular page costs one conversion, not one per request.
    """
    config = _config_for(script)
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"text:script:{opencc.__version__}:{config}:{digest}"
    converted = cache.get(key)
    if converted is None:
        converted = _converter(config).convert(text)
        cache.set(key, converted, CACHE_TIMEOUT)
    return converted


def _config_for(script: Script) -> str:
    if script == "hans":
        return SIMPLIFIED_CONFIG
    if script == "hant":
        return settings.SANFU_TRADITIONAL_CONFIG
    raise ValueError(f"Unknown script {script!r}; expected 'hans' or 'hant'.")


# Proper names and terms that character-level conversion gets wrong (岳 → 嶽 in the
# surname of 岳中明), and phrases OpenCC splits wrongly: its 并成 → 併成 is meant for
# 合并成 (merge into) but catches the conjunction in 并成立 (並成立, "and set up").
# They take priority over OpenCC's own phrases when converting to traditional.
PHRASES_FILE = Path(__file__).resolve().parent / "data" / "opencc_phrases.txt"
_OPENCC_DATA = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"


def _with_project_phrases(config: str) -> str:
    """Write a copy of an OpenCC config whose first dictionary is ours; return its
    path. Dictionary paths are made absolute so the copy can live anywhere."""
    spec = json.loads((_OPENCC_DATA / f"{config}.json").read_text(encoding="utf-8"))

    def absolute(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ocd2":
                node["file"] = str(_OPENCC_DATA / node["file"])
            for value in node.values():
                absolute(value)
        elif isinstance(node, list):
            for value in node:
                absolute(value)

    absolute(spec)
    ours = {"type": "text", "file": str(PHRASES_FILE)}
    spec["segmentation"]["dict"] = {
        "type": "group",
        "match_policy": "union",
        "dicts": [ours, spec["segmentation"]["dict"]],
    }
    first = spec["conversion_chain"][0]["dict"]
    spec["conversion_chain"][0]["dict"] = {
        "type": "group",
        "match_policy": "short_circuit",
        "dicts": [ours, first],
    }
    path = Path(tempfile.mkdtemp(prefix="sanfu-opencc-")) / f"{config}.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _converter(config: str) -> opencc.OpenCC:
    try:
        return _converters[config]
    except KeyError:
        pass
    with _converters_lock:
        if config not in _converters:
            source = (
                config if config == SIMPLIFIED_CONFIG else _with_project_phrases(config)
            )
            _converters[config] = opencc.OpenCC(source)
        return _converters[config]
