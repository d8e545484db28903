/**
 * Database step types on the databases' native tools: {@code backupDatabase} and {@code
 * restoreDatabase} for PostgreSQL ({@code pg_dump}, {@code psql}) and MySQL or MariaDB ({@code
 * mysqldump}, {@code mysql}), registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}.
 *
 * <p>Three seams let it grow without touching the steps: a {@link io.lockstep.database.Transport}
 * decides where the tools run ({@code via}: {@code local} today; {@code docker}, {@code ssh} and
 * {@code kubernetes} are reserved names), a {@code DatabaseEngine} knows one kind of server and its
 * tools, and the dump always streams through a fixed buffer into the run's artifacts.
 */
package io.lockstep.database;
