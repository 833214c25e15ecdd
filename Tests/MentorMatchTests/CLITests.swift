import Foundation
import MentorMatch
import ProgramGenerator
import TestSupport
import Testing

/// Runs the built `mentormatch` binary as a user would.
struct CLI {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        let signalled: Bool
    }

    static let binary: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("mentormatch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/mentormatch")
    }()

    static let repoRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        while dir.path != "/" {
            dir = dir.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func run(_ args: [String]) throws -> Output {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self), signalled: p.terminationReason == .uncaughtSignal)
    }

    /// The sample program, copied into a fresh temporary folder on every use: a
    /// propose records into the store beside the program, and the repository's own
    /// sample (and any store a user made beside it) must stay as it is.
    static var sample: String { sampleCopy() + "/program.yaml" }

    /// The folder that holds this test process's sample copies, removed when the process exits
    /// (a copy's path is handed out as a string, so no value's lifetime can own it).
    static let samplesFolder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mentormatch-samples-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLI.samplesFolder) }
        return path
    }()

    /// A fresh temporary copy of the sample scenario's folder.
    static func sampleCopy() -> String {
        let source = repoRoot.appendingPathComponent("Scenarios/engineering-2027").path
        let copy = samplesFolder + "/sample-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
        where name.hasSuffix(".csv") || name.hasSuffix(".yaml") {
            try? FileManager.default.copyItem(atPath: source + "/" + name, toPath: copy + "/" + name)
        }
        return copy
    }
}

@Suite(.serialized) struct CLITests {
    /// Commands run on copies: the repository's sample folder (and any store a user made
    /// beside it) stays exactly as it was.
    @Test func theSampleFolderIsNeverWritten() throws {
        let folder = CLI.repoRoot.appendingPathComponent("Scenarios/engineering-2027").path
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                out[name] = FileManager.default.contents(atPath: folder + "/" + name) ?? Data()
            }
            return out
        }
        let before = try snapshot()
        let sample = CLI.sample
        #expect(!sample.hasPrefix(folder))
        #expect(try CLI.run(["propose", sample, "--quiet"]).status == 0)
        #expect(try CLI.run(["report", sample, "--out", (sample as NSString).deletingLastPathComponent + "/r.html"]).status == 0)
        #expect(try snapshot() == before)
    }

    @Test func proposeTheSampleScenarioAsJSON() throws {
        let r = try CLI.run(["propose", CLI.sample, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["status"] as? String == "optimal")
        #expect(doc["program"] as? String == "Engineering & Product Mentorship 2027")
        #expect(doc["cohort"] as? String == "2027-H1")
        let objective = try #require(doc["objective"] as? [String: Int])
        let pairs = try #require(doc["pairs"] as? [[String: Any]])
        #expect(objective["matched_mentees"] == Set(pairs.map { $0["mentee"] as! String }).count)
        #expect(objective["total_points"] == pairs.reduce(0) { $0 + ($1["points"] as! Int) })
        #expect(objective["min_points"] == pairs.map { $0["points"] as! Int }.min())
        let factors = try #require(pairs.first?["factors"] as? [String: Double])
        #expect(Set(factors.keys) == ["skills", "level", "timezone", "preference", "style", "cross_department"])
        #expect(pairs.first?["locked"] as? Bool == false)
        let unmatched = try #require(doc["unmatched"] as? [[String: Any]])
        #expect(unmatched.allSatisfy { !(($0["reasons"] as? [String]) ?? []).isEmpty })
        #expect((doc["solver"] as? [String: Any])?["seconds"] is Double)
    }

    @Test func csvAndTableFormats() throws {
        let csv = try CLI.run(["propose", CLI.sample, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("mentor,mentee,points\n"))
        let table = try CLI.run(["propose", CLI.sample])
        #expect(table.stdout.contains("status:    optimal"))
        #expect(table.stdout.contains("unmatched"))
    }

    @Test func outAndWriteModel() throws {
        let dir = TemporaryDirectory()
        let r = try CLI.run([
            "propose", CLI.sample, "--format", "json", "--out", dir.file("p.json"),
            "--write-model", dir.file("m.lp"), "--quiet"
        ])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let json = try String(contentsOfFile: dir.file("p.json"), encoding: .utf8)
        #expect(json.contains("\"status\" : \"optimal\""))
        let lp = try String(contentsOfFile: dir.file("m.lp"), encoding: .utf8)
        #expect(lp.contains("coverage_floor"))
        let mps = try CLI.run(["propose", CLI.sample, "--write-model", dir.file("m.mps"), "--quiet"])
        #expect(mps.status == 0)
        #expect(try String(contentsOfFile: dir.file("m.mps"), encoding: .utf8).contains("COLUMNS"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["m.lp", "m.mps", "p.json"])
    }

    @Test func anUnusableStoreDoesNotCostTheProposal() throws {
        let dir = TemporaryDirectory()
        dir.write("program.yaml", "roster: roster.csv\n")
        dir.write("roster.csv", "id,role,level,department,timezone,languages\nM,mentor,6,Eng,UTC,en\nE,mentee,4,Ops,UTC,en\n")
        dir.write("junk.sqlite", "this is not a database at all, only some text that fills the header of the file")
        let r = try CLI.run(["propose", dir.file("program.yaml"), "--store", dir.file("junk.sqlite"), "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("M,E,"))
        #expect(r.stderr.contains("not recorded in the program store"))
    }

    @Test func anUnwritableOutIsAnInputErrorAndNothingIsLeft() throws {
        let r = try CLI.run(["propose", CLI.sample, "--out", "/nonexistent/dir/p.json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/dir/p.json"))
    }

    @Test func checkReportsLocatedErrorsAndExitsOne() throws {
        let dir = TemporaryDirectory()
        dir.write("program.yaml", "roster: roster.csv\nrules:\n  mentor_per_mentee: 2\n")
        dir.write("roster.csv", "id,role,level,department,timezone,languages\nA,mentor,99,Eng,UTC,en\nA,mentee,3,Eng,Nowhere/City,en\n")
        for verb in ["check", "propose"] {
            let r = try CLI.run([verb, dir.file("program.yaml")])
            #expect(r.status == 1)
            #expect(r.stderr.contains("program.yaml:3:3: error: unknown key 'mentor_per_mentee' in rules; did you mean 'mentors_per_mentee'?"))
        }
        dir.write("program.yaml", "roster: roster.csv\n")
        let r = try CLI.run(["check", dir.file("program.yaml")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("roster.csv:2:10: error: level must be a whole number from 1 to 15, not '99'"))
        #expect(r.stderr.contains("roster.csv:3:1: error: duplicate id 'A'; first used on line 2"))
        #expect(r.stderr.contains("roster.csv:3:16: error: 'Nowhere/City' is not a time zone"))
    }

    @Test func infeasibleLocksExitTwoAndNameTheConflict() throws {
        let dir = TemporaryDirectory()
        dir.write("program.yaml", "roster: roster.csv\nrules: {default_capacity: 1}\n")
        dir.write(
            "roster.csv", "id,role,level,department,timezone,languages\nM,mentor,6,Eng,UTC,en\nE1,mentee,4,Eng,UTC,en\nE2,mentee,4,Ops,UTC,en\n")
        let r = try CLI.run(["propose", dir.file("program.yaml"), "--lock", "M:E1", "--lock", "M:E2"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("infeasible"))
        #expect(r.stdout.contains("locked pairs + mentor capacity"))
        #expect(r.stdout.contains("mentor M has 2 locked mentees but capacity 1"))
        let bad = try CLI.run(["propose", dir.file("program.yaml"), "--lock", "M:E9"])
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("'E9' is not in the roster"))
        let usage = try CLI.run(["propose", dir.file("program.yaml"), "--lock", "nonsense"])
        #expect(usage.status != 0 && usage.stderr.contains("MENTOR:MENTEE"))
    }

    @Test func generateIsDeterministicPerSeed() throws {
        let a = TemporaryDirectory(), b = TemporaryDirectory(), c = TemporaryDirectory()
        for (dir, seed) in [(a, "5"), (b, "5"), (c, "6")] {
            let r = try CLI.run(["generate", "--mentees", "40", "--mentors", "15", "--seed", seed, "--out", dir.path, "--equity"])
            #expect(r.status == 0)
        }
        for name in ["roster.csv", "preferences.csv", "exclusions.csv", "history.csv", "org.csv", "program.yaml"] {
            let x = FileManager.default.contents(atPath: a.file(name)), y = FileManager.default.contents(atPath: b.file(name))
            #expect(x != nil && x == y, "\(name)")
        }
        #expect(FileManager.default.contents(atPath: a.file("roster.csv")) != FileManager.default.contents(atPath: c.file("roster.csv")))
        let check = try CLI.run(["check", a.file("program.yaml")])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("40 active mentees") || check.stdout.contains("active mentees"))
        let propose = try CLI.run(["propose", a.file("program.yaml"), "--format", "json", "--quiet"])
        #expect(propose.status == 0)
    }

    @Test func garbageInputNeverCrashes() throws {
        let dir = TemporaryDirectory()
        var rng = SplitMix64(seed: 19)  // seeded: a failure replays
        let alphabet = Array("id,role,level,department,timezone,languages\nmentor mentee both 1 5 99 UTC en ;:=\"\r\n,,,".utf8) + [0, 0xFF, 0xC3]
        for i in 0..<12 {
            let bytes = (0..<Int.random(in: 0..<400, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            _ = FileManager.default.createFile(atPath: dir.file("roster.csv"), contents: Data(bytes))
            dir.write("program.yaml", i % 3 == 0 ? String(decoding: bytes.prefix(60), as: UTF8.self) : "roster: roster.csv\n")
            let r = try CLI.run(["propose", dir.file("program.yaml"), "--quiet"])
            #expect(!r.signalled, "crashed on input \(bytes)")
            #expect([0, 1, 2].contains(r.status))
        }
    }
}
