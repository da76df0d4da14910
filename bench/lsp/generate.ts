/** A list-based manifest of about `targetBytes`: thousands of custom fields, each used in payloads and headers. */
export function generateLargeManifest(targetBytes = 1_000_000): string {
  const fields: string[] = [];
  const payloadEntries: string[] = [];
  const headers: string[] = [];
  const errors: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes * 1.2; i++) {
    const name = `field_${i}`;
    const field = `    { "variable": "${name}", "displayName": "Field number ${i}", "type": "${i % 3 === 0 ? 'singleSelect' : 'string'}"${i % 3 === 0 ? ', "options": ["a", "b", "c"], "default": "a"' : ''}, "description": "Generated field ${i} for the benchmark" }`;
    fields.push(field);
    const entry = `        "key_${i}": "$${name}", "text_${i}": "cohort $amp_cohort_name field $${name} id $amp_cohort_id"`;
    payloadEntries.push(entry);
    if (i % 10 === 0) headers.push(`    "X-Field-${i}": "$${name}"`);
    if (i % 50 === 0)
      errors.push(
        `        { "status": 400, "subErrorCode": { "error_code": ${i} }, "failureReason": "Reason ${i}", "message": "Message for error ${i}." }`,
      );
    size += field.length + entry.length + 60;
  }
  return `{
  "kind": "cohort-list",
  "version": "1.0.0",
  "connection": { "displayName": "Bench", "category": "Messaging", "summary": "Benchmark manifest." },
  "authentication": { "method": "bearer" },
  "customFields": [
${fields.join(',\n')}
  ],
  "mappingFields": [ { "variable": "user_id_field_amplitude", "displayName": "User ID", "type": "string" } ],
  "headers": {
${headers.join(',\n')}
  },
  "endpoints": {
    "listCreation": {
      "url": "https://api.example.com/lists",
      "method": "POST",
      "payload": {
${payloadEntries.join(',\n')}
      },
      "errors": [
${errors.join(',\n')}
      ]
    },
    "addUsers": { "url": "https://api.example.com/lists/$list_id/add", "method": "POST", "payload": { "ids": "$items" }, "itemTemplate": "$user_id_field_amplitude", "copyErrorsFrom": "listCreation" },
    "removeUsers": { "url": "https://api.example.com/lists/$list_id/remove", "method": "POST", "payload": { "ids": "$items" }, "itemTemplate": "$user_id_field_amplitude", "copyErrorsFrom": "listCreation" }
  }
}
`;
}
