-- Every bot message in the caseworker group that belongs to a flag (the post, nudges,
-- deadline reminders, delivery confirmations): a reply to any of them is an answer.
CREATE TABLE flag_messages (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    flag_id    INTEGER NOT NULL REFERENCES flags (id),
    PRIMARY KEY (chat_id, message_id)
);
INSERT INTO flag_messages (chat_id, message_id, flag_id)
    SELECT group_chat_id, group_message_id, id FROM flags
     WHERE group_chat_id IS NOT NULL AND group_message_id IS NOT NULL;
