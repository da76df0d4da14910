<#-- SYNTAX TEST "text.freemarker.json" "FreeMarker event body: directives, interpolations, built-ins, lambdas, square-bracket syntax, JSON around them"
{
      <#setting number_format="0.####">
<#--    ^^^^^^^ entity.name.tag.directive.freemarker
<#--  ^ punctuation.definition.tag.begin.freemarker
      { "name" : "${input.event_type}", "n": 1,
<#--              ^^ punctuation.section.interpolation.begin.freemarker
<#--                ^^^^^ variable.language.datamodel.freemarker
<#--                                ^ punctuation.section.interpolation.end.freemarker
<#--                                         ^ constant.numeric.json
<#--    ^^^^^^ string.quoted.double.json
      <#list mappedProperties?keys?filter(key -> mappedProperties[key]?has_content) as key>
<#--    ^^^^ entity.name.tag.directive.freemarker
<#--                              ^^^^^^^ support.function.builtin.freemarker
<#--                                          ^^ keyword.operator.lambda.freemarker
<#--                                                                                ^^ keyword.operator.freemarker
<#--         ^^^^^^^^^^^^^^^^ variable.language.datamodel.freemarker
      "${key}": ${mappedProperties[key]}<#sep>,</#sep>
<#--                                      ^^^ entity.name.tag.directive.freemarker
      </#list>
<#--  ^^ punctuation.definition.tag.begin.freemarker
<#--     ^^^^ entity.name.tag.directive.freemarker
      "city": "${input.city!""}",
<#--                       ^ keyword.operator.freemarker
      <#-- a comment ${not.code} -->
<#--  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.freemarker
      [#if input.city??]x[/#if]
<#--    ^^ entity.name.tag.directive.freemarker
<#--                 ^^ keyword.operator.freemarker
      "n": ${input.session_id?c}
<#--                         ^^ support.function.builtin.freemarker
}
