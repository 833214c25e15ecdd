import Foundation
import MatchModel
import MatchSolver
import MentorMatch
import ProgramGenerator
import TestSupport
import Testing

/// Mutated program folders, from a seed: every input either loads or is refused
/// with located, printable errors; whatever loads is solved without a trap, and
/// any cohort it returns keeps every rule. A failure names its seed and round,
/// and `MutatedProgram(seed:round:)` rebuilds that exact input to replay it.
/// (Fuzz/run.sh runs the same kind of search coverage-guided, for longer.)
@Suite struct SeededInputFuzzTests {
    @Test(arguments: 0..<4 as Range<UInt64>)
    func mutatedProgramsAreReadOrRefusedNeverCrash(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        let rounds = 500
        var loaded = 0, solved = 0
        for round in 0..<rounds {
            let input = MutatedProgram(seed: seed, round: round)
            for name in MutatedProgram.fileNames { try? FileManager.default.removeItem(atPath: dir.file(name)) }
            for (name, text) in input.files { FileManager.default.createFile(atPath: dir.file(name), contents: text) }
            let replay = "seed \(seed), round \(round): \(input.mutations.joined(separator: "; "))"
            let program: Program
            do {
                program = try ProgramLoader.load(path: dir.file("program.yaml")).program
            } catch let e as InputError {
                let errors = e.diagnostics.filter { $0.severity == .error }
                #expect(!errors.isEmpty, "refused without an error: \(replay)")
                for d in errors {
                    #expect(!d.location.file.isEmpty && !d.message.isEmpty, "an error without a place or words: \(replay)")
                    #expect(d.message.count <= 1_010, "an error message of \(d.message.count) characters: \(replay)")
                    #expect(!d.message.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "control characters in a message: \(replay)")
                }
                continue
            }
            loaded += 1
            guard program.people.count <= 80 else { continue }
            var propose = Propose()
            propose.timeLimitSeconds = 2
            let proposal = try propose.run(program: program).proposal
            guard proposal.status == .optimal || proposal.status == .feasible else { continue }
            solved += 1
            let instance = MatchInstance(program: program)
            let mentorSlot = Dictionary(uniqueKeysWithValues: instance.mentors.enumerated().map { (program.people[$1].id, $0) })
            let pairs = proposal.pairs.compactMap { p -> (Int, Int)? in
                guard let m = mentorSlot[p.mentorID], let i = instance.indexOfID[p.menteeID], let e = instance.menteeSlot[i] else { return nil }
                return (m, e)
            }
            #expect(pairs.count == proposal.pairs.count, "a pair of people not in the program: \(replay)")
            #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "a cohort breaking a rule: \(replay)")
        }
        // The mutations must leave some inputs readable, or the test only exercises refusals.
        #expect(loaded > rounds / 10, "only \(loaded) of \(rounds) inputs loaded")
        #expect(solved > 0)
    }
}

/// A small valid program (from the generator) with a few seeded mutations.
struct MutatedProgram {
    static let fileNames = ["program.yaml", "roster.csv", "preferences.csv", "exclusions.csv", "history.csv", "org.csv"]
    var files: [String: Data] = [:]
    var mutations: [String] = []

    /// Values that have broken parsers and engines elsewhere: huge and negative
    /// numbers, non-numbers, separators, quotes, control characters, paths that
    /// leave the folder, formula cells, YAML syntax, very long text.
    static let hostile = [
        "", "0", "-1", "2147483647", "2147483648", "9223372036854775807", "99999999999999999999", "1e308", "-1e308",
        "nan", "inf", "0.0000001", "1e-300", "\"", "\"\"", ",", ";", ":", "=", "==", "\t", "\r", "\u{0}", "\u{1B}[2J",
        "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "../../../etc/passwd", "/etc/passwd", "&a [*a, *a]", "{", "}",
        "[", "- -", "UTC+99:00", "UTC+14:00", "Mars/Olympus", "english", "E1", "M1", "yes", "no", "high",
        "mentor", "both", "15", "16", String(repeating: "x", count: 12_000), "é", "\u{FEFF}", "\u{202E}evil"
    ]

    init(seed: UInt64, round: Int) {
        var rng = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(round))
        let generator = RosterGenerator(
            mentees: 6 + Int(rng.next() % 14), mentors: 3 + Int(rng.next() % 6),
            seed: rng.next() % 50, equity: rng.next() % 2 == 0, binding: rng.next() % 3 == 0)
        var texts = Dictionary(uniqueKeysWithValues: generator.files())
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let name = Self.fileNames[Int(rng.next() % UInt64(Self.fileNames.count))]
            var lines = texts[name, default: ""].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard !lines.isEmpty else { continue }
            let at = Int(rng.next() % UInt64(lines.count))
            let token = Self.hostile[Int(rng.next() % UInt64(Self.hostile.count))]
            switch rng.next() % 7 {
            case 0:  // replace one cell (CSV) or one value (YAML)
                let separator: Character = name.hasSuffix(".csv") ? "," : ":"
                var cells = lines[at].split(separator: separator, omittingEmptySubsequences: false).map(String.init)
                let c = Int(rng.next() % UInt64(max(1, cells.count)))
                if c < cells.count { cells[c] = (separator == ":" && c > 0 ? " " : "") + token }
                lines[at] = cells.joined(separator: String(separator))
                mutations.append("\(name) line \(at + 1): a value set to \(token.debugDescription.prefix(40))")
            case 1:
                lines.remove(at: at)
                mutations.append("\(name) line \(at + 1) removed")
            case 2:
                lines.insert(lines[at], at: at)
                mutations.append("\(name) line \(at + 1) repeated")
            case 3:
                lines[at] += token
                mutations.append("\(name) line \(at + 1): \(token.debugDescription.prefix(40)) appended")
            case 4:
                let other = Int(rng.next() % UInt64(lines.count))
                lines.swapAt(at, other)
                mutations.append("\(name) lines \(at + 1) and \(other + 1) swapped")
            case 5:
                lines = Array(lines.prefix(at))
                mutations.append("\(name) cut after line \(at)")
            default:
                let bytes = Array(lines[at].utf8)
                if !bytes.isEmpty {
                    var b = bytes
                    b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
                    lines[at] = String(decoding: b, as: UTF8.self)
                }
                mutations.append("\(name) line \(at + 1): a byte changed")
            }
            texts[name] = lines.joined(separator: "\n")
        }
        if rng.next() % 20 == 0 {
            texts["roster.csv"] = texts["roster.csv"].map { $0.replacingOccurrences(of: ",", with: ";") }
            mutations.append("roster.csv semicolon-separated")
        }
        files = texts.mapValues { Data($0.utf8) }
    }
}
