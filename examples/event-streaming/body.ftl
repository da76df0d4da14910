<#setting number_format="0.####">
{
  "events": [
    {
      "external_id" : "${mappedFields.external_id!input.user_id}",
      "name" : "${input.event_type}",
      "time" : "${input.event_time}",
      "app_id" : "${parameters.app_id}",
      "email" : "${mappedFields.email!""}",
      "properties" : {
        <#list mappedProperties?keys?filter(key -> mappedProperties[key]?has_content) as key>
        "${key}": ${mappedProperties[key]}<#sep>,</#sep>
        </#list>
      }
    }
  ]
}
