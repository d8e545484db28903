/**
 * The embedded journal store: {@link io.lockstep.engine.journal.FileJournalStore}.
 *
 * <h2>File format</h2>
 *
 * A run's journal is JSON Lines, one record a line:
 *
 * <pre>{@code
 * {"c":"1f2e3d4c","r":{"seq":2,"at":"2026-11-24T04:00:00.123Z","type":"STEP_STARTED","step":"upgrade/pull","data":{"attempt":1}}}
 * }</pre>
 *
 * {@code c} is the CRC32C, as 8 lowercase hex digits, of exactly the bytes of {@code r} as written.
 * The envelope has a fixed shape, so the checksum is checked against the raw bytes before anything
 * is parsed. {@code seq} starts at 1 and has no gaps. {@code step} is absent for run-level records.
 * {@code data} holds JSON values only; reading gives Jackson's natural types (Integer or Long,
 * LinkedHashMap, ArrayList), and an append returns the record in those same types.
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Torn tail versus corruption.</b> A crash can only damage the end of the file: lines
 *       after the last valid record, never acknowledged. They are ignored, and cut off by the next
 *       append (not by reading, so a status query never changes a live run's file). A damaged line
 *       with a valid record after it, or a gap in {@code seq}, cannot come from a crash and is
 *       reported with file and line; the engine does not guess.
 *   <li><b>Durability.</b> An append returns after {@code FileChannel.force(false)}. Creating a run
 *       also syncs the directories that name it; taking a lock syncs the lock file and its
 *       directory.
 *   <li><b>Group commit without a thread.</b> The first waiting appender syncs for everyone who has
 *       written by then. A lone appender pays one sync per record; parallel branches share them.
 *   <li><b>Interrupts.</b> The executor interrupts threads to cancel and time out steps, and an
 *       interrupt during channel I/O closes the channel for every thread. Appends therefore clear
 *       the flag around each I/O call and restore it afterwards. If an interrupt still lands
 *       mid-call, the journal reopens the file, cuts it back to the last synced byte, and rewrites
 *       the records not yet synced, which it keeps in memory until a sync covers them.
 *   <li><b>Failure.</b> After any other failed write or sync, the state of the file and the page
 *       cache is unknown, so the journal refuses further appends. Reopening the run reads back what
 *       reached the disk.
 *   <li><b>Locks</b> are files created with {@code CREATE_NEW}. They outlive a crashed process on
 *       purpose, and the same run takes its own lock back.
 * </ul>
 */
package io.lockstep.engine.journal;
