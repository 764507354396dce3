package kestratest

// emulatedOperations are the operationIds kestratest serves for real.
var emulatedOperations = map[string]bool{
	"restartExecution": true, "restartExecutionsByIds": true, "replayExecutionWithinputs": true, "replayExecutionsByIds": true,
	"evalExpression": true, "pauseExecution": true, "triggerExecutionByGetWebhook": true, "triggerExecutionByPostWebhook": true,
	"createExecution": true, "createFlow": true, "createNamespaceDirectory": true,
	"createNamespaceFile": true, "deleteExecution": true, "deleteExecutionsByIds": true,
	"deleteFileDirectory": true, "deleteFlow": true, "deleteFlowsByIds": true, "deleteKeyValue": true,
	"deleteKeyValues": true, "deleteLogsFromExecution": true, "deleteLogsFromFlow": true,
	"disableFlowsByIds": true, "downloadFileFromExecution": true, "downloadLogsFromExecution": true,
	"enableFlowsByIds": true, "followExecution": true, "followLogsFromExecution": true,
	"getConfiguration": true, "getExecution": true, "getFileContent": true, "getFileMetadatas": true,
	"getFileMetadatasFromExecution": true, "getFlow": true, "getFlowFromExecutionById": true,
	"getKeyValue": true, "getLatestExecutions": true, "getNamespace": true,
	"getTaskOutputsInformation": true, "killExecution": true, "killExecutionsByIds": true,
	"listAllKeys": true, "listFlowRevisions": true, "listFlowsByNamespace": true,
	"listKeysWithInheritence": true, "listLogsFromExecution": true,
	"listNamespaceDirectoryFiles": true, "moveFileDirectory": true, "replayExecution": true,
	"resumeExecution": true, "resumeExecutionsByIds": true, "searchByExecution": true,
	"searchExecutions": true, "searchExecutionsByFlowId": true, "searchFlows": true,
	"searchLogs": true, "searchNamespaceFiles": true, "searchNamespaces": true, "setKeyValue": true,
	"setLabelsOnTerminatedExecution": true, "updateExecutionStatus": true, "updateFlow": true,
	"updateFlowsInNamespace": true, "validateFlows": true, "validateNewExecutionInputs": true,
}

// notEmulatedOperations answer 501 Not Implemented on purpose.
var notEmulatedOperations = map[string]bool{
	"searchTriggers": true, "searchTriggersForFlow": true, "disableTriggerById": true,
	"restartTrigger": true, "unlockTrigger": true,
}

// handledOperation reports whether this version of kestratest knows the
// operation. An operation added to the OpenAPI document after it was written
// is answered 501 (handlers embeds api.ServerInterface so that the package
// still compiles; the embedded value is nil and never called).
func handledOperation(op string) bool { return emulatedOperations[op] || notEmulatedOperations[op] }
