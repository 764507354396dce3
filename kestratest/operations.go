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

// notEmulatedOperations answer 501 Not Implemented on purpose (the
// methods in unimplemented.go), each with the reason given here; the
// package documentation lists them.
var notEmulatedOperations = map[string]string{
	"searchTriggers":        "kestratest has no scheduler, so no trigger state",
	"searchTriggersForFlow": "kestratest has no scheduler, so no trigger state",
	"disableTriggerById":    "kestratest has no scheduler, so no trigger state",
	"restartTrigger":        "kestratest has no scheduler, so no trigger state",
	"unlockTrigger":         "kestratest has no scheduler, so no trigger state",
}
