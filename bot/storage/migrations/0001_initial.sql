-- The whole schema of Kooperationsplan-Bot. Times are UTC text (see bot/clock.py),
-- dates are ISO `YYYY-MM-DD` in the Jobcenter's time zone. Texts that the Jobcenter may
-- translate are JSON objects {"de": "...", "uk": "..."} with German always present.

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    UNIQUE (name, phone)
);

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    customer_number TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    locale          TEXT,               -- language recorded by the Jobcenter (import)
    contact_id      INTEGER REFERENCES contacts (id),
    import_hash     TEXT NOT NULL,      -- of the last imported record: unchanged ones are skipped
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX customers_contact ON customers (contact_id);

CREATE TABLE plans (
    customer_id       INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    goal              TEXT NOT NULL,
    interim_goal      TEXT,
    jobcenter_support TEXT NOT NULL DEFAULT '[]',   -- JSON list of texts
    other_support     TEXT NOT NULL DEFAULT '[]',
    other_notes       TEXT,
    agreed_on         TEXT,
    review_on         TEXT,
    updated_at        TEXT NOT NULL
);

CREATE TABLE plan_steps (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    ext_id      TEXT NOT NULL,           -- the case system's id, stable across imports
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    due_on      TEXT,
    removed_at  TEXT,                    -- no longer in the plan; kept for flags that cite it
    updated_at  TEXT NOT NULL,
    UNIQUE (customer_id, ext_id)
);

CREATE TABLE appointments (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    ext_id         TEXT NOT NULL,
    starts_at      TEXT NOT NULL,
    topic          TEXT NOT NULL,
    location       TEXT,
    with_name      TEXT,
    bring          TEXT,
    status         TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    sequence       INTEGER NOT NULL DEFAULT 0,   -- bumped on every change (iCalendar SEQUENCE)
    confirmed_at   TEXT,                         -- "I will be there"
    cannot_come_at TEXT,                         -- "I cannot come"
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (customer_id, ext_id)
);
CREATE INDEX appointments_customer_start ON appointments (customer_id, starts_at);

-- Telegram users we have seen, linked or not.
CREATE TABLE tg_users (
    user_id       INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    language_code TEXT,               -- as Telegram reports it
    locale        TEXT,               -- chosen with /language; NULL until chosen
    reminders_on  INTEGER NOT NULL DEFAULT 1,
    blocked_at    TEXT,               -- Telegram said 403: push nothing until they write again
    first_seen_at TEXT NOT NULL
);

-- Which Telegram account sees which customer. One account per customer and vice versa.
CREATE TABLE customer_links (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL UNIQUE REFERENCES tg_users (user_id),
    linked_at   TEXT NOT NULL
);

CREATE TABLE link_codes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,   -- sha256 of the code; the code itself is never stored
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     INTEGER,
    revoked_at  TEXT                    -- superseded by a newer code
);
CREATE INDEX link_codes_customer_open ON link_codes (customer_id)
    WHERE used_at IS NULL AND revoked_at IS NULL;

-- Failed and successful /start CODE attempts, for the brute-force guard.
CREATE TABLE link_attempts (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    at      TEXT NOT NULL,
    ok      INTEGER NOT NULL
);
CREATE INDEX link_attempts_user_at ON link_attempts (user_id, at);

-- Early reports ("I cannot keep this") and conciliation requests.
CREATE TABLE flags (
    id             INTEGER PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    kind           TEXT NOT NULL CHECK (kind IN ('report', 'conciliation')),
    subject        TEXT NOT NULL CHECK (subject IN ('step', 'appointment', 'other', 'plan')),
    step_id        INTEGER REFERENCES plan_steps (id),
    appointment_id INTEGER REFERENCES appointments (id),
    reason         TEXT,
    message        TEXT,
    proposal       TEXT,
    locale         TEXT NOT NULL,
    late           INTEGER NOT NULL DEFAULT 0,
    state          TEXT NOT NULL DEFAULT 'received'
                   CHECK (state IN ('received', 'taken', 'answered', 'closed')),
    created_at     TEXT NOT NULL,
    deadline_on    TEXT,                -- conciliation: the latest end date
    taken_by_id    INTEGER,
    taken_by_name  TEXT,
    taken_at       TEXT,
    closed_by_id   INTEGER,
    closed_at      TEXT,
    group_chat_id  INTEGER,
    group_message_id INTEGER
);
CREATE INDEX flags_customer ON flags (customer_id, created_at);
CREATE INDEX flags_open ON flags (created_at) WHERE state != 'closed';
CREATE INDEX flags_group_message ON flags (group_chat_id, group_message_id);
CREATE UNIQUE INDEX flags_one_open_conciliation ON flags (customer_id)
    WHERE kind = 'conciliation' AND state != 'closed';

CREATE TABLE flag_answers (
    id           INTEGER PRIMARY KEY,
    flag_id      INTEGER NOT NULL REFERENCES flags (id),
    text         TEXT NOT NULL,
    author_id    INTEGER NOT NULL,
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX flag_answers_flag ON flag_answers (flag_id);

-- Everything pushed outside the current conversation: reminders, notices, posts to the
-- caseworkers' group, answers. Written first, sent by the dispatcher, result recorded.
-- Rows name what to say (kind + ids + payload); the text is rendered when sent, so it is
-- in the customer's current language and shows current data.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    audience        TEXT NOT NULL CHECK (audience IN ('customer', 'caseworkers')),
    dedupe_key      TEXT UNIQUE,
    customer_id     INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    appointment_id  INTEGER REFERENCES appointments (id) ON DELETE CASCADE,
    step_id         INTEGER REFERENCES plan_steps (id) ON DELETE CASCADE,
    flag_id         INTEGER REFERENCES flags (id),
    payload         TEXT NOT NULL DEFAULT '{}',
    due_at          TEXT NOT NULL,
    expires_at      TEXT,               -- pointless after this (e.g. the appointment began)
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_at      TEXT,
    sent_at         TEXT,
    chat_id         INTEGER,
    message_id      INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX outbox_ready ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (claimed_at) WHERE state = 'sending';
CREATE INDEX outbox_appointment ON outbox (appointment_id, state) WHERE appointment_id IS NOT NULL;
CREATE INDEX outbox_step ON outbox (step_id, state) WHERE step_id IS NOT NULL;
CREATE INDEX outbox_customer ON outbox (customer_id, state);
CREATE INDEX outbox_flag ON outbox (flag_id) WHERE flag_id IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (created_at) WHERE state = 'failed';

-- Who did what, when: ids and event names only, never personal data.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    customer_id INTEGER,
    flag_id     INTEGER,
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_customer ON audit_log (customer_id, at);

-- python-telegram-bot persistence: conversation states survive restarts.
CREATE TABLE ptb_conversations (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,    -- JSON list of the conversation key
    state TEXT NOT NULL,    -- JSON
    PRIMARY KEY (name, key)
);
CREATE TABLE ptb_data (
    scope TEXT NOT NULL CHECK (scope IN ('user', 'chat', 'bot')),
    id    INTEGER NOT NULL,
    data  TEXT NOT NULL,    -- JSON
    PRIMARY KEY (scope, id)
);
