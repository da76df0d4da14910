import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { locateEngine } from '../../server/src/freemarker/engine';
import { inProcessSyntax } from '../../server/src/templates/engineChecks';
import { TemplateService } from '../../server/src/templates/templateService';
import { TemplateLanguageService } from '../../server/src/lsp/templateLanguageService';
import { REPO } from '../helpers/lspClient';

const DOCUMENTED = fs.readFileSync(path.join(REPO, 'examples', 'event-streaming', 'body.ftl'), 'utf8');

describe('templates without Java', () => {
  it('says "Java not found" with how to install it', () => {
    const located = locateEngine({ workerDir: path.join(REPO, 'dist', 'freemarker'), java: '/nonexistent/bin/java' });
    assert.ok('problem' in located);
    assert.match(located.problem, /Java not found[\s\S]*apt-get install default-jre-headless/);
  });

  it('falls back to the in-process parser: valid templates (#sep, #continue, lambdas, [#if]) get no false error', () => {
    for (const template of [
      DOCUMENTED,
      '<#list [1,2] as x><#if x == 1><#continue></#if>${x}</#list>',
      '[#if x??]y[/#if]',
      '${a?filter(x -> x?has_content)?size}',
      '<#list xs as x>${x}<#sep>,</#sep></#list>',
    ]) {
      assert.deepStrictEqual(inProcessSyntax(template), [], template);
    }
  });

  it('still reports what the parser can see, and the engine problem, through the template service', async () => {
    const service = new TemplateService({
      workspaceFolders: () => [],
      openText: () => undefined,
      workerDir: path.join(REPO, 'dist', 'freemarker'),
      java: '/nonexistent/bin/java',
    });
    const found = await service.engineDiagnostics(undefined, '{"a": "${ unclosed"}');
    assert.deepStrictEqual(
      found.map((d) => d.code),
      ['engine-unavailable', 'template-syntax'],
    );
    assert.match(found[1].message, /in-process parser/);
  });

  it('offers quick fixes it cannot verify as not checked, never preferred', async () => {
    const service = new TemplateService({
      workspaceFolders: () => [],
      openText: () => undefined,
      workerDir: path.join(REPO, 'dist', 'freemarker'),
      java: '/nonexistent/bin/java',
    });
    const text = '{"session": ${input.session_id?c}}';
    const document = { uri: 'file:///nowhere/body.ftl', version: 1, text };
    const features = new TemplateLanguageService(service);
    const named = features.toLsp(text, features.quickDiagnostics(document));
    const actions = await features.codeActions(document, named);
    assert.deepStrictEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [
        [
          'Default to 0 when input.session_id is missing: (input.session_id!0)?c ' +
            '(not checked: the FreeMarker engine is not available)',
          false,
        ],
      ],
    );
  });
});
