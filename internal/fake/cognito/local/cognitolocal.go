// Package cognitolocal runs cognito-local (the npm package, a local emulator
// of the Amazon Cognito user pool API) for tests: it installs a pinned
// version once into the user's cache directory with npm (testenv.NpmPackage:
// one test process installs, the others wait for it), starts it on a free loopback port with
// a fresh data directory per test, and creates user pools, app clients and
// confirmed users through the AWS SDK.
package cognitolocal

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// Version is the cognito-local release the tests run.
const Version = "5.3.0"

// Region is the region the SDK clients of the tests use.
const Region = "us-east-1"

// startTimeout bounds how long the emulator may take to say it is running.
const startTimeout = 90 * time.Second

// Install installs cognito-local once (per cache directory, with
// testenv.NpmPackage) and returns the path of its start script.
func Install() (string, error) {
	dir, err := testenv.NpmPackage("the Cognito tests", "cognito-local", Version)
	if err != nil {
		return "", fmt.Errorf("cognitolocal: %w", err)
	}
	bin := filepath.Join(dir, "node_modules", "cognito-local", "lib", "bin", "start.js")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("cognitolocal: cognito-local installed without its start script: %w", err)
	}
	return bin, nil
}

// Server is one running cognito-local.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	API      *cip.Client
}

var (
	ansi    = regexp.MustCompile("\x1b\\[[0-9;]*m")
	running = regexp.MustCompile(`Cognito Local running on (http://[0-9.]+:([0-9]+))`)
)

// Start starts cognito-local on a free loopback port with a fresh data
// directory and stops it when the test ends. It fails the test (never skips)
// when node or npm is missing or the emulator does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Install()
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("cognitolocal: node is not installed")
	}
	cmd := exec.Command(node, bin)
	cmd.Dir = t.TempDir() // cognito-local keeps its data in ./.cognito
	dieWithParent(cmd)
	cmd.Env = append(os.Environ(), "PORT=0", "HOST=127.0.0.1", "DEBUG=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cognitolocal: start: %v", err)
	}

	found := make(chan string, 1)
	done := make(chan struct{})
	var mu sync.Mutex
	var log bytes.Buffer
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for sc.Scan() {
			line := ansi.ReplaceAllString(sc.Text(), "")
			mu.Lock()
			if log.Len() < 64*1024 {
				log.WriteString(line + "\n")
			}
			mu.Unlock()
			if m := running.FindStringSubmatch(line); m != nil && !sent {
				if _, err := strconv.Atoi(m[2]); err == nil {
					found <- m[1]
					sent = true
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	exited := make(chan error, 1)
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = cmd.Process.Kill()
		<-done
		exited <- cmd.Wait()
	}
	t.Cleanup(stop)

	var endpoint string
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case endpoint = <-found:
	case <-done:
		stop()
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("cognitolocal: cognito-local exited before it was running: %v\nstdout:\n%s\nstderr:\n%s", <-exited, log.String(), stderr.String())
	case <-timer.C:
		stop()
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("cognitolocal: cognito-local did not say it was running within %v\nstdout:\n%s\nstderr:\n%s", startTimeout, log.String(), stderr.String())
	}

	api := cip.New(cip.Options{
		Region:       Region,
		Credentials:  aws.AnonymousCredentials{},
		BaseEndpoint: aws.String(endpoint),
	})
	return &Server{Endpoint: endpoint, API: api}
}

// Pool is a user pool with one app client.
type Pool struct {
	PoolID       string
	ClientID     string
	ClientSecret string // empty unless asked for
}

// NewPool creates a user pool and an app client, with a client secret when
// secret is true.
func (s *Server) NewPool(t testing.TB, secret bool) Pool {
	t.Helper()
	ctx := context.Background()
	up, err := s.API.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("reinvent-test")})
	if err != nil {
		t.Fatalf("cognitolocal: CreateUserPool: %v", err)
	}
	poolID := aws.ToString(up.UserPool.Id)
	cl, err := s.API.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId:     aws.String(poolID),
		ClientName:     aws.String("reinvent-test"),
		GenerateSecret: secret,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		t.Fatalf("cognitolocal: CreateUserPoolClient: %v", err)
	}
	return Pool{
		PoolID:       poolID,
		ClientID:     aws.ToString(cl.UserPoolClient.ClientId),
		ClientSecret: aws.ToString(cl.UserPoolClient.ClientSecret),
	}
}

// CreateUser creates a CONFIRMED user with a permanent password.
func (s *Server) CreateUser(t testing.TB, p Pool, username, password string) {
	t.Helper()
	ctx := context.Background()
	_, err := s.API.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId:        aws.String(p.PoolID),
		Username:          aws.String(username),
		TemporaryPassword: aws.String(password + "-temporary"),
		MessageAction:     types.MessageActionTypeSuppress,
	})
	if err != nil {
		t.Fatalf("cognitolocal: AdminCreateUser: %v", err)
	}
	_, err = s.API.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(p.PoolID),
		Username:   aws.String(username),
		Password:   aws.String(password),
		Permanent:  true,
	})
	if err != nil {
		t.Fatalf("cognitolocal: AdminSetUserPassword: %v", err)
	}
}
