import { describe, expect, it } from '@jest/globals';
import { BuildEnvError, BuildFlagError, checkBuildEnv, parseBuildFlags, splitArguments } from './flags.js';

describe('splitArguments', () => {
  it('splits on whitespace and groups quotes, expanding nothing', () => {
    expect(splitArguments(`-X 'main.Name=a b' -X "main.C=$(id)" \`x\`;y ''`)).toEqual([
      '-X',
      'main.Name=a b',
      '-X',
      'main.C=$(id)',
      '`x`;y',
      '',
    ]);
    expect(() => splitArguments("-X 'open")).toThrow(
      new BuildFlagError("unterminated ' quote in '-X 'open'"),
    );
  });
});

describe('parseBuildFlags', () => {
  it('takes -name and -name=value flags from lines', () => {
    expect(parseBuildFlags(['-race -v', "-gcflags='all=-N -l'", '--mod=mod'])).toEqual([
      '-race',
      '-v',
      '-gcflags=all=-N -l',
      '--mod=mod',
    ]);
  });

  it('refuses words that go build would take as packages, so a shell line cannot sneak in', () => {
    const expected = 'expected go build flags as -name or -name=value, e.g. -race or -gcflags=all=-l';
    expect(() => parseBuildFlags(['-v; touch /tmp/x'])).toThrow(BuildFlagError);
    expect(() => parseBuildFlags(['-v; touch /tmp/x'])).toThrow(
      new BuildFlagError(`'-v;' is not a flag; ${expected}`),
    );
    expect(() => parseBuildFlags(['-v touch'])).toThrow(
      new BuildFlagError(`'touch' is not a flag; ${expected}`),
    );
    expect(() => parseBuildFlags(['$(touch /tmp/x)'])).toThrow(
      new BuildFlagError(`'$(touch' is not a flag; ${expected}`),
    );
  });

  it('refuses a flag that takes a value without one, which would take the next argument as it', () => {
    expect(() => parseBuildFlags(['-p'])).toThrow(
      new BuildFlagError(
        "'-p' takes a value; write it as -p=value (quote a value with spaces: -gcflags='all=-N -l')",
      ),
    );
    expect(() => parseBuildFlags(['-v -gcflags'])).toThrow(/'-gcflags' takes a value/);
    expect(parseBuildFlags(['-p=2 -pgo=off -race'])).toEqual(['-p=2', '-pgo=off', '-race']);
  });

  it('refuses the flags the build sets itself, naming the flag', () => {
    for (const [flag, owned] of [
      ['-o=/etc/passwd', 'o'],
      ['-ldflags=-s', 'ldflags'],
      ['-tags=x', 'tags'],
      ['--buildvcs=false', 'buildvcs'],
    ]) {
      let thrown: unknown;
      try {
        parseBuildFlags([flag]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(BuildFlagError);
      expect([(thrown as BuildFlagError).message, (thrown as BuildFlagError).owned]).toEqual([
        `-${owned} is set by the action`,
        owned,
      ]);
    }
  });
});

describe('checkBuildEnv', () => {
  it('keeps ordinary variables and refuses the ones the action sets', () => {
    expect(checkBuildEnv({ GOEXPERIMENT: 'jsonv2', CC: 'zig cc' })).toEqual({
      GOEXPERIMENT: 'jsonv2',
      CC: 'zig cc',
    });
    expect(() => checkBuildEnv({ GOOS: 'plan9' })).toThrow(new BuildEnvError('GOOS is set by the action'));
    expect(() => checkBuildEnv({ CGO_ENABLED: '1' })).toThrow(BuildEnvError);
    expect(() => checkBuildEnv({ CGO_ENABLED: '1' })).toThrow(
      new BuildEnvError('CGO_ENABLED is set by the action'),
    );
    expect(() => checkBuildEnv({ 'A-B': '1' })).toThrow(
      new BuildEnvError("'A-B' is not a variable name; expected KEY=value lines"),
    );
  });
});
