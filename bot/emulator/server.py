"""A local Telegram Bot API for the demo and the tests.

It serves, over HTTP on 127.0.0.1, the part of the Bot API the bot uses, and rejects what
Telegram rejects: invalid HTML, texts over 4096 UTF-16 units, empty texts, callback data
over 64 bytes, unknown chats, blocked users and flooding. Its other side plays the
users: it sends texts and commands (with `bot_command` entities), presses buttons,
records every chat's transcript, and injects faults (429, 403, dropped connections).
The bot reaches it only through its base URL, exactly as it reaches Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.emulator.html_check import HtmlError, parse_html
from bot.text import utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64


class ApiError(Exception):
    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to = migrate_to


@dataclass
class EmuUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class EmuChat:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    first_name: str | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    blocked: bool = False  # a private chat whose user blocked the bot
    migrated_to: int | None = None  # a group Telegram upgraded to a supergroup

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        return data


@dataclass
class EmuDocument:
    filename: str
    content: bytes
    mime_type: str | None = None


@dataclass
class EmuMessage:
    message_id: int
    chat_id: int
    from_bot: bool
    sender_id: int
    date: int
    html: str | None = None  # as sent by the bot (HTML mode) or typed by a user
    text: str = ""  # what the reader sees
    reply_markup: dict[str, Any] | None = None
    document: EmuDocument | None = None
    reply_to: int | None = None
    edits: int = 0

    @property
    def buttons(self) -> list[dict[str, Any]]:
        if not self.reply_markup:
            return []
        return [b for row in self.reply_markup.get("inline_keyboard", []) for b in row]

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for b in self.buttons]


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None


@dataclass
class Fault:
    """Make the next `times` matching calls fail the way Telegram or the network does."""

    kind: str  # "429" | "403" | "400" | "network" | "drop_after" (accepted, then dropped)
    method: str | None = None  # e.g. "sendMessage"; None: any sending method
    chat_id: int | None = None
    times: int = 1
    retry_after: int = 3
    description: str | None = None


SENDING = {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"}


@dataclass
class FloodRule:
    max_messages: int
    per_seconds: float


class Emulator:
    def __init__(
        self,
        token: str = "123456:EMULATOR-token",
        *,
        bot_username: str = "kobot_demo_bot",
        flood: bool = True,
    ) -> None:
        self.token = token
        self.bot = EmuUser(
            int(token.split(":")[0]), "Kooperationsplan-Bot", None, bot_username, None, True
        )
        self.flood = flood
        self.latency = 0.0  # seconds every sending call takes
        self.flood_rules = {
            "overall": FloodRule(30, 1.0),
            "private": FloodRule(20, 10.0),
            "group": FloodRule(20, 60.0),
        }
        self.users: dict[int, EmuUser] = {}
        self.chats: dict[int, EmuChat] = {}
        self.messages: dict[int, list[EmuMessage]] = defaultdict(list)
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._callback_ids = itertools.count(1)
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1)
        self._sent_times: dict[str | int, deque[float]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._last_activity = time.monotonic()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.base_url = ""

    # ------------------------------------------------------------------ server
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; returns the base URL to give the bot (`.../bot`)."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        bound = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.base_url = f"http://{host}:{bound}/bot"
        return self.base_url

    async def stop(self) -> None:
        self._closing = True  # long polls still waiting (of a killed bot, say) return now
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if method != "getUpdates":
            self._last_activity = time.monotonic()
        if self.latency and method in SENDING:
            await asyncio.sleep(self.latency)  # a slow network: requests stay in flight
        fault = self._take_fault(method, params)
        try:
            if fault is not None and fault.kind == "network":
                return self._drop(request)
            if fault is not None and fault.kind != "drop_after":
                raise self._fault_error(fault)
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
            if fault is not None:  # drop_after: the call took effect, the answer is lost
                return self._drop(request)
            return web.json_response({"ok": True, "result": result})
        except ApiError as err:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": err.code,
                "description": err.description,
            }
            if err.retry_after is not None:
                body["parameters"] = {"retry_after": err.retry_after}
            if err.migrate_to is not None:
                body["parameters"] = {"migrate_to_chat_id": err.migrate_to}
            return web.json_response(body, status=err.code)
        finally:
            await self._notify()

    @staticmethod
    def _drop(request: web.Request) -> web.Response:
        """Cut the connection: the client sees a network error, not an answer."""
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = EmuDocument(value.filename, value.file.read(), value.content_type)
                else:
                    params[key] = value
        for key, value in list(params.items()):
            if isinstance(value, str) and key in _JSON_FIELDS:
                try:
                    params[key] = json.loads(value)
                except json.JSONDecodeError:
                    raise_later = ApiError(400, f"Bad Request: can't parse {key} JSON object")
                    params["__error__"] = raise_later
        return params

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method is None and method not in SENDING:
                continue
            if fault.method is not None and fault.method != method:
                continue
            if fault.chat_id is not None and _int(params.get("chat_id")) != fault.chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    @staticmethod
    def _fault_error(fault: Fault) -> ApiError:
        if fault.kind == "429":
            return ApiError(
                429, f"Too Many Requests: retry after {fault.retry_after}", fault.retry_after
            )
        if fault.kind == "403":
            return ApiError(403, fault.description or "Forbidden: bot was blocked by the user")
        return ApiError(400, fault.description or "Bad Request: emulated failure")

    # ------------------------------------------------------------- API methods
    async def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self.bot.to_api(), "can_join_groups": True, "supports_inline_queries": False}

    async def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates") in ("true", True):
            self._updates.clear()
        return True

    async def api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list")
        for command in commands:
            name, desc = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32) or not name.islower() or not (1 <= len(desc) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, params.get("language_code", ""))] = commands
        return True

    async def api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get((scope, params.get("language_code", "")), [])

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _int(params.get("offset")) or 0
        limit = _int(params.get("limit")) or 100
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        return self._updates[:limit]

    async def api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._chat(params).to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        user_id = _int(params.get("user_id"))
        if user_id == self.bot.id:
            return {"status": "member", "user": self.bot.to_api()}
        user = self.users.get(user_id or 0)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if user.id in chat.admins:
            status = "administrator"
            return {
                "status": status,
                "user": user.to_api(),
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        return {"status": "member" if user.id in chat.members else "left", "user": user.to_api()}

    async def api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        return True

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        html, text = self._text(params.get("text"), params.get("parse_mode"), MAX_TEXT)
        markup = self._markup(params.get("reply_markup"))
        self._flood_check(chat)
        message = self._add_bot_message(chat, html=html, text=text, markup=markup)
        message.reply_to = _int(params.get("reply_to_message_id")) or _reply_id(params)
        return self._message_json(message)

    async def api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        document = params.get("document")
        if not isinstance(document, EmuDocument):
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption")
        html, text = (None, "")
        if caption:
            html, text = self._text(caption, params.get("parse_mode"), MAX_CAPTION)
        markup = self._markup(params.get("reply_markup"))
        self._flood_check(chat)
        message = self._add_bot_message(chat, html=html, text=text, markup=markup)
        message.document = document
        return self._message_json(message)

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        html, text = self._text(params.get("text"), params.get("parse_mode"), MAX_TEXT)
        markup = self._markup(params.get("reply_markup"))
        if message.html == html and message.reply_markup == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.html, message.text, message.reply_markup = html, text, markup
        message.edits += 1
        return self._message_json(message)

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        markup = self._markup(params.get("reply_markup"))
        if message.reply_markup == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return self._message_json(message)

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        record = self.callbacks.get(str(params.get("callback_query_id")))
        if record is None or record.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        record.answered, record.answer_text = True, text
        return True

    async def api_deleteMessage(self, params: dict[str, Any]) -> bool:
        message = self._bot_message(params)
        self.messages[message.chat_id].remove(message)
        return True

    # ------------------------------------------------------------- validation
    def _chat(self, params: dict[str, Any]) -> EmuChat:
        chat = self.chats.get(_int(params.get("chat_id")) or 0)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to=chat.migrated_to,
            )
        return chat

    def _writable_chat(self, params: dict[str, Any]) -> EmuChat:
        if "__error__" in params:
            raise params["__error__"]
        chat = self._chat(params)
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.type != "private" and self.bot.id not in chat.members:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _bot_message(self, params: dict[str, Any]) -> EmuMessage:
        if "__error__" in params:
            raise params["__error__"]
        chat = self._chat(params)
        wanted = _int(params.get("message_id"))
        for message in self.messages[chat.id]:
            if message.message_id == wanted and message.from_bot:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    @staticmethod
    def _text(raw: Any, parse_mode: Any, limit: int) -> tuple[str, str]:
        if not isinstance(raw, str) or not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if parse_mode not in (None, "HTML"):
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        try:
            text = parse_html(raw) if parse_mode == "HTML" else raw
        except HtmlError as err:
            raise ApiError(400, f"Bad Request: {err}") from None
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > limit:
            raise ApiError(400, "Bad Request: message is too long")
        return raw, text

    @staticmethod
    def _markup(raw: Any) -> dict[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("inline_keyboard"), list):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in raw["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: button text is empty")
                data = button.get("callback_data")
                if data is not None and not (1 <= len(data.encode()) <= MAX_CALLBACK_BYTES):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if data is None and not button.get("url"):
                    raise ApiError(400, "Bad Request: button has no action")
        return raw

    def _flood_check(self, chat: EmuChat) -> None:
        if not self.flood:
            return
        now = time.monotonic()
        kind = "private" if chat.type == "private" else "group"
        for key, rule in (
            ("overall", self.flood_rules["overall"]),
            (chat.id, self.flood_rules[kind]),
        ):
            sent = self._sent_times[key]
            while sent and sent[0] <= now - rule.per_seconds:
                sent.popleft()
            if len(sent) >= rule.max_messages:
                wait = math.ceil(sent[0] + rule.per_seconds - now)
                raise ApiError(429, f"Too Many Requests: retry after {wait}", max(wait, 1))
        self._sent_times["overall"].append(now)
        self._sent_times[chat.id].append(now)

    # --------------------------------------------------------------- messages
    def _add_bot_message(
        self, chat: EmuChat, *, html: str | None, text: str, markup: dict[str, Any] | None
    ) -> EmuMessage:
        message = EmuMessage(
            message_id=next(self._message_ids[chat.id]),
            chat_id=chat.id,
            from_bot=True,
            sender_id=self.bot.id,
            date=int(time.time()),
            html=html,
            text=text,
            reply_markup=markup,
        )
        self.messages[chat.id].append(message)
        return message

    def _message_json(self, message: EmuMessage) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        sender = self.bot if message.from_bot else self.users[message.sender_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.to_api(),
            "from": sender.to_api(),
        }
        if message.document is not None:
            data["document"] = {
                "file_id": f"doc-{message.chat_id}-{message.message_id}",
                "file_unique_id": f"u{message.chat_id}x{message.message_id}",
                "file_name": message.document.filename,
                "file_size": len(message.document.content),
            }
            if message.text:
                data["caption"] = message.text
        elif message.text:
            data["text"] = message.text
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.reply_to:
            replied = self.find_message(message.chat_id, message.reply_to)
            if replied is not None and replied is not message:
                data["reply_to_message"] = self._message_json(replied)
        return data

    def find_message(self, chat_id: int, message_id: int) -> EmuMessage | None:
        return next((m for m in self.messages[chat_id] if m.message_id == message_id), None)

    # ------------------------------------------------------------ user side
    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        language_code: str | None = "de",
        user_id: int | None = None,
    ) -> EmuUser:
        user = EmuUser(user_id or next(self._user_ids), first_name, last_name, None, language_code)
        self.users[user.id] = user
        self.chats[user.id] = EmuChat(user.id, "private", first_name=first_name)
        return user

    def add_group(
        self,
        title: str,
        members: list[EmuUser],
        *,
        chat_id: int | None = None,
        admins: list[EmuUser] | None = None,
    ) -> EmuChat:
        chat = EmuChat(
            chat_id or -1000000000000 - next(self._group_ids),
            "supergroup",
            title=title,
            members={m.id for m in members} | {self.bot.id},
            admins={a.id for a in admins or []},
        )
        self.chats[chat.id] = chat
        return chat

    def migrate(self, chat: EmuChat) -> EmuChat:
        """Telegram upgrades a group: the old id answers with the new one from now on."""
        new = self.add_group(chat.title or "", [], admins=[])
        new.members, new.admins = set(chat.members), set(chat.admins)
        chat.migrated_to = new.id
        return new

    def block(self, user: EmuUser, blocked: bool = True) -> None:
        self.chats[user.id].blocked = blocked

    async def send(
        self,
        user: EmuUser,
        text: str,
        *,
        chat: EmuChat | None = None,
        reply_to: EmuMessage | None = None,
    ) -> EmuMessage:
        """The user types `text` (commands get a bot_command entity, as in Telegram)."""
        target = chat or self.chats[user.id]
        message = self._user_message(user, target, text=text)
        data = self._message_json(message)
        data["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        if reply_to is not None:
            message.reply_to = reply_to.message_id
            data["reply_to_message"] = self._message_json(reply_to)
        await self._push({"message": data})
        return message

    async def send_sticker(self, user: EmuUser) -> EmuMessage:
        message = self._user_message(user, self.chats[user.id], text="")
        data = self._message_json(message)
        data["sticker"] = {
            "file_id": "sticker-1",
            "file_unique_id": "st1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        await self._push({"message": data})
        return message

    async def send_photo(self, user: EmuUser, caption: str | None = None) -> EmuMessage:
        message = self._user_message(user, self.chats[user.id], text=caption or "")
        data = self._message_json(message)
        data.pop("text", None)
        data["photo"] = [{"file_id": "photo-1", "file_unique_id": "ph1", "width": 90, "height": 90}]
        if caption:
            data["caption"] = caption
        await self._push({"message": data})
        return message

    async def press(
        self,
        user: EmuUser,
        message: EmuMessage,
        button: str | int | None = None,
        *,
        data: str | None = None,
    ) -> CallbackRecord:
        """Press a button of `message` by its text (or part of it) or index, or send raw data."""
        if data is None:
            buttons = message.buttons
            if isinstance(button, int):
                chosen = buttons[button]
            else:
                matches = [b for b in buttons if button is not None and button in b["text"]]
                if len(matches) != 1:
                    raise AssertionError(
                        f"button {button!r} not found once in {message.button_texts}"
                    )
                chosen = matches[0]
            data = chosen["callback_data"]
        record = CallbackRecord(
            str(next(self._callback_ids)), user.id, message.chat_id, message.message_id, data
        )
        self.callbacks[record.id] = record
        await self._push(
            {
                "callback_query": {
                    "id": record.id,
                    "from": user.to_api(),
                    "message": self._message_json(message),
                    "chat_instance": str(message.chat_id),
                    "data": data,
                }
            }
        )
        return record

    def _user_message(self, user: EmuUser, chat: EmuChat, *, text: str) -> EmuMessage:
        message = EmuMessage(
            message_id=next(self._message_ids[chat.id]),
            chat_id=chat.id,
            from_bot=False,
            sender_id=user.id,
            date=int(time.time()),
            html=text,
            text=text,
        )
        self.messages[chat.id].append(message)
        return message

    async def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        self._last_activity = time.monotonic()
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---------------------------------------------------------- inspection
    def transcript(self, chat: EmuChat | EmuUser | int) -> list[EmuMessage]:
        chat_id = chat if isinstance(chat, int) else chat.id
        return list(self.messages[chat_id])

    def bot_messages(self, chat: EmuChat | EmuUser | int) -> list[EmuMessage]:
        return [m for m in self.transcript(chat) if m.from_bot]

    def last_bot_message(self, chat: EmuChat | EmuUser | int) -> EmuMessage:
        messages = self.bot_messages(chat)
        if not messages:
            raise AssertionError("the bot has sent nothing to this chat")
        return messages[-1]

    async def wait_until(self, condition: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `condition()` is truthy (re-checked on every change); returns it."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                result = condition()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the emulator did not see the expected change in time")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))

    async def next_bot_message(
        self, chat: EmuChat | EmuUser | int, *, after: int | None = None, timeout: float = 10.0
    ) -> EmuMessage:
        """The first bot message in `chat` newer than message id `after` (default: now)."""
        existing = self.bot_messages(chat)
        floor = after if after is not None else (existing[-1].message_id if existing else 0)
        return await self.wait_until(  # type: ignore[no-any-return]
            lambda: next((m for m in self.bot_messages(chat) if m.message_id > floor), None),
            timeout,
        )

    async def settle(self, idle: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the updates were fetched and the bot made no call for `idle` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = time.monotonic() - self._last_activity
            if not self._updates and quiet >= idle:
                return
            await asyncio.sleep(min(idle, 0.05))
        raise TimeoutError("the bot did not settle")

    def unanswered_callbacks(self) -> list[CallbackRecord]:
        return [c for c in self.callbacks.values() if not c.answered]

    def commands_for(self, language_code: str = "") -> list[str]:
        scope = json.dumps({"type": "default"}, sort_keys=True)
        return [c["command"] for c in self.commands.get((scope, language_code), [])]


_JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "entities",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "caption_entities",
}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reply_id(params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    return _int(reply.get("message_id")) if isinstance(reply, dict) else None
