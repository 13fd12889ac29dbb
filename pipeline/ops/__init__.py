"""Operations: the one-command batch run (`scr run`) and the nightly refresh (`scr refresh`).

run.run_batch carries a batch through ingest -> extract -> embed -> themes and records the run;
refresh.refresh does the same for what is new in the inbox. Every command that writes the store holds
the lock beside it while it writes (lock.refresh_lock, through writer.store_writer).
"""
