"""The sans-IO server connection: bytes in, effects out.

It owns one session's state (AUTHORIZATION → TRANSACTION → UPDATE), the line framing, the bad-command counter
and the dispatch to one short handler per verb. Handlers live in :mod:`auth_commands` and
:mod:`transaction_commands`; which verb is legal where comes from :mod:`table`.
"""

from __future__ import annotations

from collections.abc import Callable

from poplab.protocol import auth_commands, transaction_commands
from poplab.protocol import effects as fx
from poplab.protocol.commands import Command, CommandError, parse
from poplab.protocol.config import ServerConfig
from poplab.protocol.framing import Line, LineBuffer, LineTooLong
from poplab.protocol.holding import GatedStore, LoginGate
from poplab.protocol.limits import MAX_COMMAND_LINE, MAX_COMMANDS_PER_TURN, MAX_SASL_RESPONSE, OUTPUT_AHEAD
from poplab.protocol.maildrop_view import MaildropView
from poplab.protocol.replies import Continuation, Reply, err
from poplab.protocol.sasl import Mechanism
from poplab.protocol.seams import AccountStore
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

Handler = Callable[["ServerConnection", tuple[str, ...]], list[fx.Effect]]


class ServerConnection:
    """One POP3 session on the server side.

    ``secure``: TLS is active (implicit TLS); ``peer_trusted``: the peer is on loopback, where clear-text logins
    are allowed; ``token``: a fresh ``<pid.clock@host>`` from the adapter for APOP and CRAM-MD5; ``peer``: the
    client's address (some flavours' greetings show it); ``gate``: the adapter's throttle of failed logins across
    connections (:mod:`holding`), none by default.
    """

    def __init__(
        self,
        store: AccountStore,
        config: ServerConfig | None = None,
        *,
        secure: bool = False,
        peer_trusted: bool = True,
        token: str = "<0.0@localhost>",
        peer: str = "127.0.0.1",
        gate: LoginGate | None = None,
    ) -> None:
        self._gated = GatedStore(store, gate) if gate is not None else None
        self.store: AccountStore = self._gated if self._gated is not None else store
        self.config = config or ServerConfig()
        self.secure = secure
        self.peer_trusted = peer_trusted
        self.token = token
        self.peer = peer
        self.state = State.AUTHORIZATION
        self.pending_user: str | None = None
        self.user: str | None = None
        self.view: MaildropView | None = None
        self.sasl: Mechanism | None = None
        self.closed = False
        self.awaiting_tls = False
        self.utf8 = False
        """The client switched the session to UTF-8 with the UTF8 command (RFC 6856 §2)."""
        self.bad_commands = 0
        self.failed_logins = 0
        self.held = False
        """Lines are held back: after a failed-login delay, when :data:`OUTPUT_AHEAD` was produced, or after
        :data:`MAX_COMMANDS_PER_TURN` lines. The adapter calls :meth:`resume` when the delay is over, what was
        produced has been sent, or (the turn's budget) on its event loop's next turn, after the other sessions."""
        self._lines = LineBuffer(MAX_COMMAND_LINE)
        self.stream_from: int | None = None
        """Set by an adapter that can send a body piece by piece as the peer takes it: RETR of a message of at
        least this many octets then gives :class:`~poplab.protocol.effects.Stream` (read from the store as sent)
        instead of one :class:`~poplab.protocol.effects.Send` of the whole reply. None: every reply whole."""

    # ---- what the adapter calls -------------------------------------------------------------------------

    def greeting(self) -> list[fx.Effect]:
        return self.reply(auth_commands.greeting(self))

    def receive_data(self, data: bytes) -> list[fx.Effect]:
        """Feed bytes; get the effects of every complete line, in order (pipelining), unless lines are held."""
        if self.closed or self.awaiting_tls:
            return []
        self._lines.append(data)
        return [] if self.held else self._process()

    def resume(self) -> list[fx.Effect]:
        """Go on with the lines held back."""
        self.held = False
        return self._process()

    def _process(self) -> list[fx.Effect]:
        out: list[fx.Effect] = []
        produced = 0
        if self.closed or self.awaiting_tls:
            return out
        for count, item in enumerate(self._lines.lines(), 1):
            effects = self._handle(item)
            out.extend(effects)
            self._lines.limit = MAX_SASL_RESPONSE if self.sasl is not None else MAX_COMMAND_LINE
            if self.closed or self.awaiting_tls:
                # RFC 2595 §4 / CVE-2011-0411: nothing sent before the handshake may be read after it.
                self._lines.clear()
                break
            produced += sum(len(effect.data) for effect in effects if isinstance(effect, fx.Send))
            produced += sum(effect.size for effect in effects if isinstance(effect, fx.Stream))
            if produced >= OUTPUT_AHEAD or any(isinstance(e, fx.Delay) and e.seconds > 0 for e in effects):
                self.held = True  # a failed login's delay holds back the next guesses, not only the replies
                break
            if count >= MAX_COMMANDS_PER_TURN:
                self.held = True  # one client's pipelined flood waits its turn behind the other sessions
                break
        return out

    def tls_started(self) -> None:
        self.awaiting_tls = False
        self.secure = True
        self.pending_user = None

    def connection_lost(self) -> None:
        """The connection ended without UPDATE (drop, timeout, shutdown): release the lock, delete nothing."""
        self.closed = True
        self.sasl = None
        if self.view is not None:
            self.view.maildrop.release()
            self.view = None

    # ---- helpers for handlers ---------------------------------------------------------------------------

    @property
    def plaintext_allowed(self) -> bool:
        return self.secure or self.peer_trusted or self.config.allow_plaintext

    @property
    def maildrop(self) -> MaildropView:
        if self.view is None:
            raise RuntimeError("no maildrop outside the TRANSACTION state")
        return self.view

    def reply(self, reply: Reply) -> list[fx.Effect]:
        return [fx.Send(reply.to_bytes(), reply.ok)]

    def challenge(self, challenge: Continuation) -> list[fx.Effect]:
        return [fx.Send(challenge.to_bytes(), None)]

    def close(self, reply: Reply) -> list[fx.Effect]:
        self.connection_lost()
        return [*self.reply(reply), fx.Close()]

    # ---- dispatch ---------------------------------------------------------------------------------------

    def _handle(self, item: Line | LineTooLong) -> list[fx.Effect]:
        effects = self._handle_line(item)
        if self._gated is not None:
            return self._gated.settle(effects, self.config.style.text("bad login"))
        return effects

    def _handle_line(self, item: Line | LineTooLong) -> list[fx.Effect]:
        if isinstance(item, LineTooLong):
            # Its -ERR also ends a SASL exchange (RFC 5034 §4): the next line is a command again.
            in_sasl, self.sasl = self.sasl is not None, None
            return [
                fx.Received(item.prefix, in_sasl or _sensitive(parse(item.prefix))),
                *self._bad(f"line too long (at most {self._lines.limit} octets)"),
            ]
        parsed = parse(item.content) if self.sasl is None else None
        out: list[fx.Effect] = [fx.Received(item.raw, _sensitive(parsed))]
        if parsed is None:
            return out + auth_commands.continue_sasl(self, item.content)
        if isinstance(parsed, CommandError):
            if parsed.reason == "empty command":
                return out + self.reply(err(parsed.reason))
            if parsed.reason == "unknown command":
                verb = item.content.split(b" ", 1)[0].decode("utf-8", "replace")  # as typed, as Dovecot echoes it
                return out + self._bad(self._reason("unknown command", parsed.reason, verb=verb))
            return out + self._bad(parsed.reason)
        return out + self._dispatch(parsed)

    def _dispatch(self, command: Command) -> list[fx.Effect]:
        if self.state not in COMMANDS[command.verb].states:
            return self._bad(self._reason("wrong state", "command not valid in this state", verb=command.verb))
        if command.verb not in NO_PROGRESS:
            self.bad_commands = 0
        return HANDLERS[command.verb](self, command.args)

    def _reason(self, key: str, seed_reason: str, **values: object) -> str:
        """The flavour's text for a refused command (its after-login form in TRANSACTION)."""
        logged_in = self.state is not State.AUTHORIZATION
        return self.config.style.reason(key, seed_reason, logged_in=logged_in, **values)

    def _bad(self, reason: str) -> list[fx.Effect]:
        self.bad_commands += 1
        limit = (
            self.config.max_bad_before_login if self.state is State.AUTHORIZATION else self.config.max_bad_after_login
        )
        if self.bad_commands >= limit:
            return self.close(err(f"{reason}; too many bad commands, closing connection"))
        return self.reply(err(reason))


def _sensitive(parsed: Command | CommandError | None) -> bool:
    """A SASL response (None) or a command whose arguments hold credentials."""
    if parsed is None:
        return True
    if isinstance(parsed, CommandError):
        return parsed.verb in SENSITIVE_VERBS
    return parsed.verb in SENSITIVE_VERBS and (parsed.verb != "AUTH" or len(parsed.args) > 1)


SENSITIVE_VERBS = frozenset({"PASS", "APOP", "AUTH"})

NO_PROGRESS = frozenset({"USER", "CAPA"})
"""Valid commands that do not end a run of bad commands: they cost nothing to repeat, so a client could
otherwise mix them in to send bad commands for ever."""

HANDLERS: dict[str, Handler] = {**auth_commands.HANDLERS, **transaction_commands.HANDLERS}
assert HANDLERS.keys() == COMMANDS.keys(), "every verb of the table has exactly one handler"
