-- The inbox's claim looks for pending events in arrival order, and for an earlier pending event
-- of the same person. Indexes of the pending events only stay small however many are done
-- (measured under 300 people in flight: a claim took 30–70 ms walking the status index).
CREATE INDEX "InboundEvent_pending_seq_idx" ON "InboundEvent"("seq") WHERE status = 'PENDING';
CREATE INDEX "InboundEvent_pending_actor_idx" ON "InboundEvent"("actorKey", "seq") WHERE status = 'PENDING';
