# Build, test and install the three programs. `make` leaves runnable programs in bin/.
PREFIX  ?= /usr/local
CONFIG  ?= Release
DOTNET  ?= dotnet
PROGRAMS := containet containode mocker containode-remote containode-serve
# ReadyToRun: compiled ahead of time, so the switch starts without waiting for the JIT (which still tunes hot code).
PUBLISH_FLAGS := -r linux-x64 --self-contained false -p:PublishReadyToRun=true
# containode and mocker are native (PublishAot in their projects, gcc links them): both are short-lived, and the
# runtime's own start was most of their time. The switch runs for long and keeps the JIT's tiered code.
PUBLISH_FLAGS_containode := -r linux-x64
PUBLISH_FLAGS_mocker := -r linux-x64
# One project, Containode.Remote, makes two native programs, so ASP.NET Core and gRPC stay out of containode itself:
# - containode-serve, the server (`containode serve`): a network daemon run as root, so a position-independent
#   executable, placed at a random address (ASLR) as the others are;
# - containode-remote, the client each verb against a remote node starts: linked at a fixed address and not
#   dehydrated, so its start maps the image's data from the file instead of writing out and relocating 15 MB of it
#   (`containode-remote --version`: 26 ms as a PIE, 10 ms so; bench/remote.sh). Its native object and its linked
#   program have folders of their own: with the link's output shared, an incremental publish of the client found the
#   server's newer program there, skipped its link, and shipped the server's (a PIE) as the client.
PUBLISH_FLAGS_containode-remote := -r linux-x64 -p:PositionIndependentExecutable=false -p:IlcDehydrate=false -p:NativeIntermediateOutputPath=obj/native-client/ -p:NativeOutputPath=bin/native-client/
PUBLISH_FLAGS_containode-serve := -r linux-x64
PROJECT_containet  := Containet/Containet.csproj
PROJECT_containode := Containode/Containode.csproj
PROJECT_mocker     := Mocker/Mocker.csproj
PROJECT_containode-remote := Containode.Remote/Containode.Remote.csproj
PROJECT_containode-serve := Containode.Remote/Containode.Remote.csproj
SOURCES := $(shell find Shared.Native Shared.Cli Switch.Protocol Containet Containode Containode.Remote Images Mocker -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.c' -o -name '*.h' -o -name '*.proto' \) -not -path '*/obj/*' -not -path '*/bin/*') Directory.Build.props Directory.Packages.props

.PHONY: all setup test demo bench install uninstall clean restore
all: $(addprefix bin/,$(PROGRAMS))

# Debian packages the tests and the demo use (skipped when present), and the NuGet restore.
setup:
	bash scripts/install-deps.sh

restore:
	$(DOTNET) restore containet.sln

# Each program is published into out/NAME (the switch framework-dependent, the others native); bin/NAME links to its executable.
bin/%: $(SOURCES)
	$(DOTNET) publish $(PROJECT_$*) -c $(CONFIG) -o out/$* $(or $(PUBLISH_FLAGS_$*),$(PUBLISH_FLAGS)) --nologo -v quiet
	@[ $* != containode-serve ] || mv -f out/$*/containode-remote out/$*/$*
	@mkdir -p bin
	ln -sfn ../out/$*/$* $@
	@touch $@

# The two builds of Containode.Remote share its compiled assemblies: one after the other, also under make -j.
bin/containode-serve: bin/containode-remote

test: setup all
	$(DOTNET) test containet.sln -c $(CONFIG) --nologo

demo: setup all
	bash demo/demo.sh

bench: setup all
	bash bench/switch.sh

# Programs, manual pages, completions and systemd units (containet.service, containode-start-all.service).
install: all
	sh scripts/install.sh "$(DESTDIR)" "$(PREFIX)"

uninstall:
	for p in $(PROGRAMS); do rm -rf $(DESTDIR)$(PREFIX)/lib/containet/$$p $(DESTDIR)$(PREFIX)/bin/$$p \
	  $(DESTDIR)$(PREFIX)/share/man/man1/$$p.1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$p \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$p; done
	rm -f $(DESTDIR)$(PREFIX)/lib/systemd/system/containet.service $(DESTDIR)$(PREFIX)/lib/systemd/system/containode-start-all.service

clean:
	rm -rf bin out */bin */obj tests/*/bin tests/*/obj
