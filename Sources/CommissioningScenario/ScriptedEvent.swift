import LedgerJSON

/// An event planned by the scenario. Its id is chosen when it is emitted; an event may be labelled so that a later
/// event of the same case can reference its id (a verification its measurement, a correction what it retracts).
struct ScriptedEvent {
    var stream: String
    var type: String
    var data: JSONValue
    var actor: String
    /// A label other events of the case refer to.
    var label: Int? = nil
    /// The data field to fill with the id of the event labelled `label`.
    var reference: (field: String, label: Int)? = nil
}
