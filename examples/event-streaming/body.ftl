<#-- Beacon's track call: Amplitude's documented template, made safe for every event. Strings are escaped
     with ?json_string (an event named Clicked "Buy now" stays valid JSON), numbers print as plain digits,
     and every field Amplitude does not guarantee has a default. -->
<#setting number_format="computer">
{
  "events": [
    {
      "external_id": "${(mappedFields.external_id!input.user_id!input.device_id!"")?json_string}",
      "name": "${input.event_type?json_string}",
      "time": "${input.event_time?json_string}",
      "app_id": "${parameters.app_id?json_string}",
      "email": "${(mappedFields.email!"")?json_string}",
      "properties": {
        <#list mappedProperties?keys?filter(key -> mappedProperties[key]?has_content) as key>
        "${key?json_string}": ${mappedProperties[key]}<#sep>,</#sep>
        </#list>
      }
    }
  ]
}
