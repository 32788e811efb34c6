import EventLog
import LedgerTestSupport
import LedgerWire
import Testing

/// The writer skips the id lookup for ids above every stored one and remembers stream versions; these tests pin
/// that neither shortcut changes what an append decides.
@Suite("Writer shortcuts")
struct WriterCacheTests {
    @Test("retries of the newest, an older and a random id are all recognised, before and after a reopen")
    func idShortcut() throws {
        let directory = try TemporaryDirectory()
        let older = event(id: try #require(EventID("00000000-0000-7000-8000-000000000001")))
        let random = event(id: try #require(EventID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")))
        let newest = event(id: try #require(EventID("ffffffff-ffff-7fff-bfff-ffffffffffff")))
        do {
            let log = try LogFixture.open(directory.path)
            for proposed in [older, random, newest] { _ = try log.append(request("s", .any, [proposed])) }
            for (index, proposed) in [older, random, newest].enumerated() {
                let position = UInt64(index + 1)
                #expect(
                    try log.append(request("s", .any, [proposed]))
                        == AppendResult(first: position, last: position, version: position, duplicate: true)
                )
            }
        }
        let reopened = try LogFixture.open(directory.path)
        #expect(try reopened.append(request("s", .any, [newest])).duplicate)
        // A new id below the largest stored one still goes in.
        let result = try reopened.append(
            request("s", .exact(3), [event(id: try #require(EventID("7c9e6679-7425-40de-944b-e07fc1f90ae7")))])
        )
        #expect(result == AppendResult(first: 4, last: 4, version: 4, duplicate: false))
    }

    @Test("stream versions stay exact across group commits, refusals and a reopen")
    func versionCache() throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try LogFixture.open(directory.path)
            let results = log.append([
                request("a", .noStream, [event()]),
                request("b", .noStream, [event(), event()]),
                request("a", .exact(1), [event()]),
                request("a", .exact(1), [event()]),
            ])
            #expect(try results[2].get().version == 2)
            guard case .failure(.wrongExpectedVersion(_, _, let actual)) = results[3] else {
                Issue.record("expected a version conflict, got \(results[3])")
                return
            }
            #expect(actual == 2)
            #expect(try log.append(request("b", .exact(2), [event()])).version == 3)
        }
        let reopened = try LogFixture.open(directory.path)
        #expect(try reopened.append(request("a", .exact(2), [event()])).version == 3)
        #expect(try reopened.version(of: "b") == 3)
    }
}
