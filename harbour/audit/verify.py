"""Proving the access trail intact: walk the chain from the first event, recompute every
hash, and name the first link that does not hold."""

from dataclasses import dataclass

from harbour.audit.models import GENESIS, AccessEvent, ChainHead


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.intact:
            return f"Audit trail intact: {self.checked} events checked."
        return f"Audit trail BROKEN at event #{self.broken_seq}: {self.problem}"


def verify_chain(batch_size: int = 2000) -> Verdict:
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for event in AccessEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return Verdict(False, checked, expected_seq, "this event is missing (deleted).")
        if event.prev_hash != prev:
            return Verdict(False, checked, event.seq, "it does not link to the event before it.")
        if event.compute_hash() != event.hash:
            return Verdict(False, checked, event.seq, "its contents were changed.")
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    if head_seq != checked or (head and head.hash != prev):
        return Verdict(
            False, checked, checked + 1, f"the newest events up to #{head_seq} were deleted."
        )
    return Verdict(True, checked)
