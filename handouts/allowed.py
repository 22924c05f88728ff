"""What a content file may say where it said something unknown: the field names a model
accepts at the place pydantic reported an unknown field, for messages that list them."""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation stands for: Annotated and Optional removed, a
    union's members listed."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return [t for member in get_args(annotation) for t in _unwrap(member) if t is not type(None)]
    return [annotation]


def _tags(model: type[BaseModel]) -> set[Any]:
    """Every literal value a model's fields take: a tagged union names its member by one."""
    return {
        value
        for field in model.model_fields.values()
        if get_origin(field.annotation) is Literal
        for value in get_args(field.annotation)
    }


def _step(annotation: Any, part: str | int) -> Any | None:
    """Where one step of an error location leads: a field, a list item, a mapping's value,
    or a tagged union's member (pydantic puts the tag in the location)."""
    candidates = _unwrap(annotation)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if len(models) > 1:
        chosen = [model for model in models if part in _tags(model)]
        return chosen[0] if len(chosen) == 1 else None
    if len(candidates) != 1:
        return None
    only = candidates[0]
    if models:
        field = only.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field is not None else None
    origin, args = get_origin(only), get_args(only)
    if origin in (list, tuple) and isinstance(part, int) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def allowed_fields(model: type[BaseModel], location: tuple[str | int, ...]) -> list[str] | None:
    """The fields accepted beside the unknown field at `location` (its last step), or None
    when the location cannot be followed through the model."""
    annotation: Any = model
    for part in location[:-1]:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    models = [c for c in _unwrap(annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
    if len(models) != 1:
        return None
    return list(models[0].model_fields)
