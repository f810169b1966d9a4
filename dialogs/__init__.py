"""One module per conversation the customer or caseworker has with the bot.

Each module has pure `render_*` functions (view in, Screen out) and thin async handlers
that load data through `bot/`, render and send. `register(app)` wires them up.
"""
