import Foundation
import GRDB
import MatchModel

/// The program's memory: every proposal, every review decision, cohorts and
/// the erasure log, in one SQLite file beside the program file.
///
/// WAL mode; every write is one transaction, so a process killed mid-write
/// leaves the store as it was; `secure_delete` and VACUUM make erasure real.
public final class ProgramStore: Sendable {
    let pool: DatabasePool
    public let path: String

    /// The default store beside a program file: `program.mentormatch.sqlite`.
    public static func defaultPath(forProgram program: String) -> String {
        let base = (program as NSString).deletingPathExtension
        return base + ".mentormatch.sqlite"
    }

    /// Opens (creating and migrating on first use) the store at `path`.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, message: Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "the store is busy (another mentormatch is writing to it); try again in a moment"
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return "this file is not a MentorMatch store (or it is damaged)"
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return "cannot open the store for writing (\(e.message ?? "permission denied"))"
            default: return e.message ?? "\(e)"
            }
        }
        return "\(error)"
    }

    /// Named, append-only migrations. Constraints live in the schema.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: proposals, decisions, cohorts, erasures") { db in
            try db.execute(
                sql: """
                    CREATE TABLE proposal (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      createdAt TEXT NOT NULL,
                      createdBy TEXT NOT NULL,
                      program TEXT NOT NULL,
                      cohort TEXT NOT NULL,
                      policy TEXT NOT NULL,
                      rosterHash TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('optimal','feasible','infeasible','time_limit')),
                      coverage INTEGER NOT NULL,
                      matchedMentees INTEGER NOT NULL,
                      totalPoints INTEGER NOT NULL,
                      minPoints INTEGER NOT NULL,
                      engine TEXT NOT NULL,
                      seconds REAL NOT NULL,
                      note TEXT NOT NULL DEFAULT ''
                    );
                    CREATE TABLE proposalPair (
                      proposalId INTEGER NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
                      mentorId TEXT NOT NULL,
                      menteeId TEXT NOT NULL,
                      points INTEGER NOT NULL CHECK (points >= 0),
                      factors TEXT NOT NULL,
                      locked INTEGER NOT NULL CHECK (locked IN (0, 1)),
                      PRIMARY KEY (proposalId, mentorId, menteeId)
                    );
                    CREATE TABLE proposalUnmatched (
                      proposalId INTEGER NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
                      menteeId TEXT NOT NULL,
                      reasons TEXT NOT NULL,
                      PRIMARY KEY (proposalId, menteeId)
                    );
                    CREATE TABLE decision (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      mentorId TEXT NOT NULL,
                      menteeId TEXT NOT NULL,
                      action TEXT NOT NULL CHECK (action IN ('accept','reject','lock','unlock')),
                      decidedBy TEXT NOT NULL,
                      decidedAt TEXT NOT NULL,
                      reason TEXT NOT NULL,
                      proposalId INTEGER REFERENCES proposal(id) ON DELETE SET NULL
                    );
                    CREATE INDEX decisionPair ON decision(mentorId, menteeId);
                    CREATE TABLE cohort (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      name TEXT NOT NULL UNIQUE,
                      proposalId INTEGER REFERENCES proposal(id) ON DELETE SET NULL,
                      finalizedAt TEXT NOT NULL,
                      finalizedBy TEXT NOT NULL
                    );
                    CREATE TABLE cohortPair (
                      cohortId INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,
                      mentorId TEXT NOT NULL,
                      menteeId TEXT NOT NULL,
                      PRIMARY KEY (cohortId, mentorId, menteeId)
                    );
                    CREATE TABLE erasure (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      erasedAt TEXT NOT NULL,
                      erasedBy TEXT NOT NULL,
                      reason TEXT NOT NULL,
                      rowsDeleted INTEGER NOT NULL
                    );
                    """)
        }
        m.registerMigration("v2: meta (pseudonym key)") { db in
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
        }
        registerWrittenFiles(&m)
        registerCycles(&m)
        return m
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        // Milliseconds: the audit trail orders what happened within one second too.
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let e as StoreError { throw e } catch {
            throw StoreError(path: path, message: Self.describe(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch {
            throw StoreError(path: path, message: Self.describe(error))
        }
    }
}

/// A store problem, worded for people.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

extension ProgramStore {
    /// A random key made once per store, for stable pseudonyms that cannot be
    /// reversed from the ids alone.
    public func pseudonymKey() throws -> String {
        try write { db in
            if let k = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'pseudonym_key'") { return k }
            var g = SystemRandomNumberGenerator()
            let k = (0..<4).map { _ in String(g.next(), radix: 16) }.joined()
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('pseudonym_key', ?)", arguments: [k])
            return k
        }
    }

    /// SQLite's own check of the file: "ok" when sound.
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}
