"""The in-app notification list: each outbox event also lands here, with an unread count."""
