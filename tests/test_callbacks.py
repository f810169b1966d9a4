"""Callback data: short, versioned, and anything we did not build is refused."""

import pytest

from bot import callbacks


def test_round_trip() -> None:
    data = callbacks.build("plan", "step", 42)
    assert data == "v1:plan:step:42"
    parsed = callbacks.parse(data)
    assert parsed is not None and parsed.area == "plan" and parsed.int_arg() == 42


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "plan",
        "v0:plan:show",
        "v1:plan",
        "v1:plan:show:" + "9" * 60,
        "v1:plan:show:<b>",
        "v1:plän:show",
        "v1:plan:show:-1; DROP TABLE",
    ],
)
def test_forged_data_is_refused(forged: str | None) -> None:
    assert callbacks.parse(forged) is None


def test_int_arg_rejects_nonsense() -> None:
    parsed = callbacks.parse("v1:plan:step:abc")
    assert parsed is not None and parsed.int_arg() is None
    assert callbacks.Callback("a", "b", ("0",)).int_arg() is None


def test_build_refuses_what_telegram_would_reject() -> None:
    with pytest.raises(ValueError):
        callbacks.build("area", "x" * 30)
    with pytest.raises(ValueError):
        callbacks.build("area", "act", "a:b")
