"""Reading a customer's own data: plan, steps, contact person."""

from __future__ import annotations

from bot.storage.db import Database, Row


async def plan_rows(db: Database, customer_id: int) -> tuple[Row | None, list[Row]]:
    """The plan row and its current steps, read from one snapshot."""
    async with db.read() as conn:
        cursor = await conn.execute(
            """SELECT goal, interim_goal, jobcenter_support, other_support, other_notes,
                      agreed_on, review_on
                 FROM plans WHERE customer_id = ?""",
            (customer_id,),
        )
        plan = await cursor.fetchone()
        cursor = await conn.execute(
            """SELECT id, text, due_on FROM plan_steps
                WHERE customer_id = ? AND removed_at IS NULL ORDER BY position""",
            (customer_id,),
        )
        steps = list(await cursor.fetchall())
    return plan, steps


async def step_row(db: Database, customer_id: int, step_id: int) -> Row | None:
    return await db.fetchone(
        "SELECT id, text, due_on FROM plan_steps WHERE id = ? AND customer_id = ?",
        (step_id, customer_id),
    )


async def contact_row(db: Database, customer_id: int) -> Row | None:
    return await db.fetchone(
        """SELECT k.name, k.phone FROM customers c JOIN contacts k ON k.id = c.contact_id
            WHERE c.id = ?""",
        (customer_id,),
    )


async def customer_row(db: Database, customer_id: int) -> Row | None:
    return await db.fetchone(
        "SELECT id, customer_number, name, locale FROM customers WHERE id = ?", (customer_id,)
    )
