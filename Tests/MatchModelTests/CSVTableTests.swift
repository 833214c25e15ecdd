import Foundation
import Testing

@testable import MatchModel

@Suite struct CSVTableTests {
    func parse(_ text: String) throws -> CSVTable { try CSVTable(file: "t.csv", data: Data(text.utf8)) }

    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let t = try parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,2,3\n")
        #expect(t.header.map(\.value) == ["a", "b", "c"])
        #expect(t.records.count == 2)
        #expect(t.records[0].fields.map(\.value) == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(t.records[1].line == 4)
        #expect(t.records[1].fields[2].column == 5)
    }

    @Test func dropsABOMAndTrimsCellsAndSkipsBlankLines() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("id , role\n\n  a1 ,  mentor \n".utf8))
        let t = try CSVTable(file: "t.csv", data: data)
        #expect(t.header.map(\.value) == ["id", "role"])
        #expect(t.records.count == 1)
        #expect(t.records[0].fields.map(\.value) == ["a1", "mentor"])
    }

    @Test func columnsCountCharactersAcrossFieldsWithAccentsAndEmoji() throws {
        let t = try parse("a,b,c,d\nRenée,Zoë 👩🏽‍💻,x,y\n")
        #expect(t.records[0].fields.map(\.column) == [1, 7, 13, 15])
        do {
            _ = try parse("a,b,c\nÉlodie,Zoë,ab\"c\n")
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.diagnostics.first?.location == SourceLocation(file: "t.csv", line: 2, column: 14))
        }
    }

    @Test func trimmingMatchesFoundationsWhitespaceSet() {
        for text in ["", " ", "a", " a ", "\ta\t", "a b", "\u{00A0}a\u{2003}", "a\u{00A0}", "\u{00A0}", "é ", " é", "\na\n", " \n "] {
            #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            #expect(text[...].trimmedWhitespace == text.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func anUnclosedQuoteIsLocated() {
        do {
            _ = try parse("a,b\n1,\"open\n2,3\n")
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.diagnostics.first?.location == SourceLocation(file: "t.csv", line: 2, column: 3))
            #expect(e.description.contains("never closed"))
        } catch { Issue.record("\(error)") }
    }

    @Test func aStrayQuoteIsLocated() {
        do {
            _ = try parse("a,b\nab\"c,d\n")
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.diagnostics.first?.location.line == 2)
            #expect(e.diagnostics.first?.location.column == 3)
        } catch { Issue.record("\(error)") }
    }

    @Test func invalidUTF8IsLocated() {
        var data = Data("a,b\nok,".utf8)
        data.append(contentsOf: [0xFF, 0x41])
        do {
            _ = try CSVTable(file: "t.csv", data: data)
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.diagnostics.first?.location.line == 2)
            #expect(e.diagnostics.first?.message.contains("UTF-8") == true)
        } catch { Issue.record("\(error)") }
    }

    @Test func anEmptyFileNeedsAHeader() {
        #expect(throws: InputError.self) { try parse("") }
    }

    @Test func randomBytesNeverCrashTheParser() {
        // Seeded (SplitMix64 by hand: this module's tests see no generator), so a failure replays.
        var state: UInt64 = 17
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet: [UInt8] = Array("a,\"\n\r ;:=1".utf8) + [0xC3, 0xA9, 0xFF]
        var parsed = 0, refused = 0
        for round in 0..<300 {
            let bytes = (0..<Int(next() % 200)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            do {
                let table = try CSVTable(file: "t.csv", data: Data(bytes))
                parsed += 1
                // Every field is located inside the text.
                let lines = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1
                for f in table.header + table.records.flatMap(\.fields) {
                    #expect(f.line >= 1 && f.line <= lines && f.column >= 1, "round \(round)")
                }
            } catch let e as InputError {
                refused += 1
                #expect(e.diagnostics.allSatisfy { $0.location.line >= 1 }, "round \(round): \(e)")
            } catch {
                Issue.record("round \(round): not an input error: \(error)")
            }
        }
        #expect(parsed > 0 && refused > 0)
    }
}
