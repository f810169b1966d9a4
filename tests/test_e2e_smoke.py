"""Quick end-to-end checks of the walking skeleton through the emulator."""

from tests.conftest import Harness


async def test_link_then_plan(harness: Harness) -> None:
    code = await harness.link_code()
    reply = await harness.say(f"/start {code}")
    print(reply.text)
    plan = await harness.say("/plan")
    print(plan.text)
    assert "Lagerlogistik" in plan.text
